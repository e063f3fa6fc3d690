"""Environments: getEnvironment, getProjectEnvironments, updateSortOrder, toggleEnvironmentOn
and toggleEnvironmentOff, compared with Unleash 8.2's recorded answers (fixtures/)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from flagkit import add_strategy, create_flag, switch
from leash.config import Settings
from leash.db import create_db_engine
from support import ADMIN, CLIENT, add_project, without

REFERENCE: dict[str, Any] = json.loads(
    (Path(__file__).parent / "fixtures" / "reference.json").read_text()
)
ENVIRONMENTS = "/api/admin/environments"
PASSWORD = "Very-Secret-Pass-123!"


def reference(name: str) -> tuple[int, Any]:
    answer = REFERENCE[name]
    return answer["status"], answer["body"]


def answer(response: Any) -> tuple[int, Any]:
    body = response.json() if response.content else None
    if isinstance(body, dict) and "id" in body and body.get("name", "").endswith("Error"):
        body["id"] = "<uuid>"
    return response.status_code, body


def editor(client: TestClient) -> dict[str, str]:
    """A PAT of an Editor: no ADMIN permission."""
    created = client.post(
        "/api/admin/user-admin",
        headers=ADMIN,
        json={"username": "ed", "rootRole": 2, "password": PASSWORD},
    )
    assert created.status_code == 201, created.text
    login = client.post("/auth/simple/login", json={"username": "ed", "password": PASSWORD})
    assert login.status_code == 200
    pat = client.post(
        "/api/admin/user/tokens", json={"description": "t", "expiresAt": "2099-01-01T00:00:00Z"}
    )
    client.cookies.clear()
    return {"Authorization": pat.json()["secret"]}


def test_get_environment__development__as_unleash(client: TestClient) -> None:
    response = client.get(f"{ENVIRONMENTS}/development", headers=ADMIN)
    assert answer(response) == reference("getEnvironment development")


def test_get_environment__unknown__404(client: TestClient) -> None:
    response = client.get(f"{ENVIRONMENTS}/h6-nope", headers=ADMIN)
    assert answer(response) == reference("getEnvironment unknown")


def test_get_environment__client_token__403(client: TestClient) -> None:
    assert client.get(f"{ENVIRONMENTS}/development", headers=CLIENT).status_code == 403


def test_get_environment__no_token__401(client: TestClient) -> None:
    assert client.get(f"{ENVIRONMENTS}/development").status_code == 401


def _one_enabled_flag(client: TestClient) -> None:
    create_flag(client, "h6-on")
    add_strategy(client, "h6-on")
    switch(client, "h6-on")


def test_get_project_environments__default__as_unleash(client: TestClient) -> None:
    _one_enabled_flag(client)
    response = client.get(f"{ENVIRONMENTS}/project/default", headers=ADMIN)
    assert answer(response) == reference("getProjectEnvironments default")


def test_get_project_environments__unknown_project__none_visible(client: TestClient) -> None:
    _one_enabled_flag(client)
    response = client.get(f"{ENVIRONMENTS}/project/h6-nope", headers=ADMIN)
    assert answer(response) == reference("getProjectEnvironments unknown project")


def test_get_project_environments__default_strategy_shown(client: TestClient) -> None:
    _one_enabled_flag(client)
    strategy = {
        "name": "flexibleRollout",
        "constraints": [],
        "disabled": False,
        "parameters": {"rollout": "100", "stickiness": "default", "groupId": ""},
    }
    url = "/api/admin/projects/default/environments/development/default-strategy"
    assert client.post(url, headers=ADMIN, json=strategy).status_code == 200
    response = client.get(f"{ENVIRONMENTS}/project/default", headers=ADMIN)
    assert answer(response) == reference("getProjectEnvironments with a default strategy")


def test_get_project_environments__project_tokens_counted(
    client: TestClient, settings: Settings
) -> None:
    add_project(create_db_engine(settings.database_url), "h6-other", environments=["production"])
    for projects in (["h6-other"], ["default"], ["default", "h6-other"]):
        created = client.post(
            "/api/admin/api-tokens",
            headers=ADMIN,
            json={
                "tokenName": "t",
                "type": "client",
                "environment": "production",
                "projects": projects,
            },
        )
        assert created.status_code == 201, created.text
    body = client.get(f"{ENVIRONMENTS}/project/h6-other", headers=ADMIN).json()
    counts = {e["name"]: (e["projectApiTokenCount"], e["visible"]) for e in body["environments"]}
    assert counts == {"development": (2, False), "production": (2, True)}


def test_get_project_environments__client_token__403(client: TestClient) -> None:
    assert client.get(f"{ENVIRONMENTS}/project/default", headers=CLIENT).status_code == 403


def _sort_orders(client: TestClient) -> dict[str, int]:
    listed = client.get(ENVIRONMENTS, headers=ADMIN).json()["environments"]
    return {e["name"]: e["sortOrder"] for e in listed}


def test_update_sort_order__named_ones_change__200_no_body(client: TestClient) -> None:
    response = client.put(
        f"{ENVIRONMENTS}/sort-order", headers=ADMIN, json={"production": 1, "h6-nope": 5}
    )
    assert (response.status_code, response.content) == (200, b"")
    assert _sort_orders(client) == {"production": 1, "development": 2}
    assert client.get(f"{ENVIRONMENTS}/h6-nope", headers=ADMIN).status_code == 404


def test_update_sort_order__empty__200(client: TestClient) -> None:
    assert client.put(f"{ENVIRONMENTS}/sort-order", headers=ADMIN, json={}).status_code == 200
    assert _sort_orders(client) == {"development": 2, "production": 3}


def test_update_sort_order__not_integers__400_as_unleash(client: TestClient) -> None:
    for body, name in (
        ({"development": "x"}, "updateSortOrder string"),
        ({"development": 2.5}, "updateSortOrder fraction"),
        ([], "updateSortOrder array"),
    ):
        response = client.put(f"{ENVIRONMENTS}/sort-order", headers=ADMIN, json=body)
        assert answer(response) == reference(name)
    assert _sort_orders(client) == {"development": 2, "production": 3}


def test_update_sort_order__beyond_the_column__400(client: TestClient) -> None:
    # Unleash 8.2 answers 500 (PostgreSQL's out of range); leash refuses it first.
    response = client.put(
        f"{ENVIRONMENTS}/sort-order", headers=ADMIN, json={"development": 99999999999}
    )
    assert response.status_code == 400
    assert response.json()["details"][0]["path"] == "/body/development"


def test_update_sort_order__editor__403(client: TestClient) -> None:
    response = client.put(f"{ENVIRONMENTS}/sort-order", headers=editor(client), json={})
    assert response.status_code == 403
    assert response.json()["name"] == "PermissionError"


def test_toggle_environment_off_then_on__listed_disabled_sdks_served(
    client: TestClient,
) -> None:
    _one_enabled_flag(client)
    before = client.get("/api/client/features", headers=CLIENT).json()
    response = client.post(f"{ENVIRONMENTS}/development/off", headers=ADMIN)
    assert (response.status_code, response.content) == (204, b"")
    assert client.get(f"{ENVIRONMENTS}/development", headers=ADMIN).json()["enabled"] is False
    # Unleash serves SDKs of a disabled environment as before.
    assert client.get("/api/client/features", headers=CLIENT).json() == before
    assert client.post(f"{ENVIRONMENTS}/development/off", headers=ADMIN).status_code == 204
    assert client.post(f"{ENVIRONMENTS}/development/on", headers=ADMIN).status_code == 204
    assert client.get(f"{ENVIRONMENTS}/development", headers=ADMIN).json()["enabled"] is True


def test_toggle_environment__records_no_event(client: TestClient) -> None:
    before = client.get("/api/admin/events", headers=ADMIN).json()["totalEvents"]
    client.post(f"{ENVIRONMENTS}/production/off", headers=ADMIN)
    client.put(f"{ENVIRONMENTS}/sort-order", headers=ADMIN, json={"production": 7})
    assert client.get("/api/admin/events", headers=ADMIN).json()["totalEvents"] == before


def test_toggle_environment__unknown__404_as_unleash(client: TestClient) -> None:
    for verb in ("on", "off"):
        response = client.post(f"{ENVIRONMENTS}/h6-nope/{verb}", headers=ADMIN)
        assert answer(response) == reference("toggleEnvironmentOn unknown")


def test_toggle_environment__editor__403(client: TestClient) -> None:
    response = client.post(f"{ENVIRONMENTS}/production/off", headers=editor(client))
    assert response.status_code == 403
    assert without(client.get(f"{ENVIRONMENTS}/production", headers=ADMIN).json()) == {
        "name": "production",
        "type": "production",
        "sortOrder": 3,
        "enabled": True,
        "protected": False,
        "requiredApprovals": None,
    }


def test_toggle_environment__no_token__401(client: TestClient) -> None:
    assert client.post(f"{ENVIRONMENTS}/production/off").status_code == 401
