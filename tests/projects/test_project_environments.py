"""A project's environments: addEnvironmentToProject, removeEnvironmentFromProject and
addDefaultStrategyToProjectEnvironment (Unleash 8.2's answers in
tests/environments/fixtures/reference.json), and the default strategy other code reads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from flagkit import add_strategy, create_flag, switch
from leash.config import Settings
from leash.db import create_db_engine
from leash.projects.default_strategy import default_strategy, strategy_to_add
from support import ADMIN, CLIENT, add_project

REFERENCE: dict[str, Any] = json.loads(
    (Path(__file__).parents[1] / "environments" / "fixtures" / "reference.json").read_text()
)
PROJECT_ENVIRONMENTS = "/api/admin/projects/{project}/environments"
DEFAULT = "/api/admin/projects/{project}/environments/{environment}/default-strategy"
PASSWORD = "Very-Secret-Pass-123!"


def reference(name: str) -> tuple[int, Any]:
    return REFERENCE[name]["status"], REFERENCE[name]["body"]


def answer(response: Any) -> tuple[int, Any]:
    body = response.json() if response.content else None
    if isinstance(body, dict) and "id" in body and body.get("name", "").endswith("Error"):
        body["id"] = "<uuid>"
    return response.status_code, body


def engine(settings: Settings) -> Engine:
    return create_db_engine(settings.database_url)


def events(client: TestClient) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = client.get("/api/admin/events", headers=ADMIN).json()["events"]
    return listed


def event_like_reference(event: dict[str, Any], name: str) -> None:
    expected = REFERENCE[name]
    assert {key: event.get(key) for key in expected} == expected


def environments_of(client: TestClient, flag: str, project: str = "default") -> list[str]:
    body = client.get(f"/api/admin/projects/{project}/features/{flag}", headers=ADMIN).json()
    return [e["name"] for e in body["environments"]]


def project_visible(client: TestClient, project: str) -> dict[str, bool]:
    body = client.get(f"/api/admin/environments/project/{project}", headers=ADMIN).json()
    return {e["name"]: e["visible"] for e in body["environments"]}


def member_pat(client: TestClient) -> dict[str, str]:
    """A PAT of a Viewer: no UPDATE_PROJECT anywhere."""
    created = client.post(
        "/api/admin/user-admin",
        headers=ADMIN,
        json={"username": "vw", "rootRole": 3, "password": PASSWORD},
    )
    assert created.status_code == 201, created.text
    client.post("/auth/simple/login", json={"username": "vw", "password": PASSWORD})
    pat = client.post(
        "/api/admin/user/tokens", json={"description": "t", "expiresAt": "2099-01-01T00:00:00Z"}
    )
    client.cookies.clear()
    return {"Authorization": pat.json()["secret"]}


# -- addEnvironmentToProject ------------------------------------------------------------------


def test_add_environment__flags_get_a_disabled_row__event(
    client: TestClient, settings: Settings
) -> None:
    add_project(engine(settings), "h6-p", environments=["development"])
    create_flag(client, "h6-a", project="h6-p")
    response = client.post(
        PROJECT_ENVIRONMENTS.format(project="h6-p"),
        headers=ADMIN,
        json={"environment": "production"},
    )
    assert (response.status_code, response.content) == (200, b"")
    assert project_visible(client, "h6-p") == {"development": True, "production": True}
    assert environments_of(client, "h6-a", "h6-p") == ["development", "production"]
    flag = client.get("/api/admin/projects/h6-p/features/h6-a", headers=ADMIN).json()
    assert [e["enabled"] for e in flag["environments"]] == [False, False]
    event = events(client)[0]
    assert {k: event[k] for k in ("type", "project", "environment", "data", "groupType")} == {
        "type": "project-environment-added",
        "project": "h6-p",
        "environment": "production",
        "data": None,
        "groupType": "transaction",
    }


def test_add_environment__already_there__409_as_unleash(client: TestClient) -> None:
    response = client.post(
        PROJECT_ENVIRONMENTS.format(project="default"),
        headers=ADMIN,
        json={"environment": "development"},
    )
    assert answer(response) == reference("addEnvironmentToProject present")


def test_add_environment__unknown_environment__400_as_unleash(client: TestClient) -> None:
    url = PROJECT_ENVIRONMENTS.format(project="default")
    for body, name in (
        ({"environment": "h6-nope"}, "addEnvironmentToProject unknown environment"),
        ({"environment": 5}, "addEnvironmentToProject number environment"),
        ({}, "addEnvironmentToProject empty"),
        ({"environment": "development", "x": 1}, "addEnvironmentToProject extra property"),
    ):
        assert answer(client.post(url, headers=ADMIN, json=body)) == reference(name)


def test_add_environment__unknown_project__404_as_unleash(client: TestClient) -> None:
    response = client.post(
        PROJECT_ENVIRONMENTS.format(project="h6-nope"),
        headers=ADMIN,
        json={"environment": "development"},
    )
    assert answer(response) == reference("addEnvironmentToProject unknown project")


def test_add_environment__viewer__403(client: TestClient, settings: Settings) -> None:
    add_project(engine(settings), "h6-p", environments=["development"])
    response = client.post(
        PROJECT_ENVIRONMENTS.format(project="h6-p"),
        headers=member_pat(client),
        json={"environment": "production"},
    )
    assert response.status_code == 403
    assert project_visible(client, "h6-p") == {"development": True, "production": False}


def test_add_environment__no_token__401(client: TestClient) -> None:
    response = client.post(
        PROJECT_ENVIRONMENTS.format(project="default"), json={"environment": "development"}
    )
    assert response.status_code == 401


# -- removeEnvironmentFromProject -------------------------------------------------------------


def test_remove_environment__flags_leave_it__sdks_too(client: TestClient) -> None:
    create_flag(client, "h6-a")
    add_strategy(client, "h6-a")
    switch(client, "h6-a")
    response = client.delete(
        PROJECT_ENVIRONMENTS.format(project="default") + "/development", headers=ADMIN
    )
    assert (response.status_code, response.content) == (200, b"")
    assert project_visible(client, "default") == {"development": False, "production": True}
    assert environments_of(client, "h6-a") == ["production"]
    event = events(client)[0]
    assert (event["type"], event["project"], event["environment"]) == (
        "project-environment-removed",
        "default",
        "development",
    )
    flags = client.get("/api/client/features", headers=CLIENT).json()["features"]
    assert [f["name"] for f in flags if f["enabled"]] == []


def test_remove_environment__last_one__removed_as_unleash_8_2(client: TestClient) -> None:
    for environment in ("development", "production"):
        url = PROJECT_ENVIRONMENTS.format(project="default") + f"/{environment}"
        assert client.delete(url, headers=ADMIN).status_code == 200
    assert project_visible(client, "default") == {"development": False, "production": False}


def test_remove_environment__added_again__strategies_back_flag_off(client: TestClient) -> None:
    """Unleash 8.2 keeps the strategies of a removed environment (its delete is never run)."""
    create_flag(client, "h6-a")
    add_strategy(client, "h6-a")
    switch(client, "h6-a")
    url = PROJECT_ENVIRONMENTS.format(project="default")
    client.delete(url + "/development", headers=ADMIN)
    assert client.post(url, headers=ADMIN, json={"environment": "development"}).status_code == 200
    flag = client.get("/api/admin/projects/default/features/h6-a", headers=ADMIN).json()
    development = flag["environments"][0]
    assert (development["name"], development["enabled"], len(development["strategies"])) == (
        "development",
        False,
        1,
    )


def test_remove_environment__not_there__200_event_as_unleash(client: TestClient) -> None:
    response = client.delete(
        PROJECT_ENVIRONMENTS.format(project="default") + "/h6-nope", headers=ADMIN
    )
    assert (response.status_code, response.content) == (200, b"")
    event_like_reference(events(client)[0], "project-environment-removed event")


def test_remove_environment__viewer__403(client: TestClient) -> None:
    url = PROJECT_ENVIRONMENTS.format(project="default") + "/development"
    assert client.delete(url, headers=member_pat(client)).status_code == 403
    assert project_visible(client, "default") == {"development": True, "production": True}


def test_remove_environment__no_token__401(client: TestClient) -> None:
    url = PROJECT_ENVIRONMENTS.format(project="default") + "/development"
    assert client.delete(url).status_code == 401


# -- addDefaultStrategyToProjectEnvironment ---------------------------------------------------

PARAMETERS = {"rollout": "100", "stickiness": "default", "groupId": ""}
STANDARD: dict[str, Any] = {
    "name": "flexibleRollout",
    "constraints": [],
    "disabled": False,
    "parameters": PARAMETERS,
}


def test_default_strategy__set__echoed_and_event_with_pre_data(client: TestClient) -> None:
    url = DEFAULT.format(project="default", environment="development")
    coerced = {"name": "flexibleRollout", "parameters": {"rollout": 5}}
    first = client.post(url, headers=ADMIN, json=coerced)
    assert answer(first) == reference("addDefaultStrategyToProjectEnvironment coerced")
    second = client.post(url, headers=ADMIN, json=STANDARD)
    assert (second.status_code, second.json()) == (200, STANDARD)
    event_like_reference(events(client)[0], "default-strategy-updated event")


def test_default_strategy__refused_bodies__400_as_unleash(client: TestClient) -> None:
    url = DEFAULT.format(project="default", environment="development")
    before = len(events(client))
    for body, name in (
        ({"name": "default"}, "addDefaultStrategyToProjectEnvironment not flexibleRollout"),
        ({}, "addDefaultStrategyToProjectEnvironment empty"),
        (
            {"name": "flexibleRollout", "x": 1, "parameters": []},
            "addDefaultStrategyToProjectEnvironment parameters array",
        ),
    ):
        assert answer(client.post(url, headers=ADMIN, json=body)) == reference(name)
    assert len(events(client)) == before


def test_default_strategy__useless_rollout__400(client: TestClient) -> None:
    url = DEFAULT.format(project="default", environment="development")
    body = {"name": "flexibleRollout", "parameters": {"rollout": "lots"}}
    assert client.post(url, headers=ADMIN, json=body).status_code == 400


def test_default_strategy__environment_not_in_project__404(client: TestClient) -> None:
    # Unleash 8.2 answers 500 (no row to update); leash a 404 that changes nothing.
    before = len(events(client))
    for project, environment in (("default", "h6-nope"), ("h6-nope", "development")):
        url = DEFAULT.format(project=project, environment=environment)
        response = client.post(url, headers=ADMIN, json=STANDARD)
        assert response.status_code == 404
        assert response.json()["name"] == "NotFoundError"
    assert len(events(client)) == before


def test_default_strategy__viewer__403(client: TestClient) -> None:
    url = DEFAULT.format(project="default", environment="development")
    assert client.post(url, headers=member_pat(client), json=STANDARD).status_code == 403


def test_default_strategy__no_token__401(client: TestClient) -> None:
    url = DEFAULT.format(project="default", environment="development")
    assert client.post(url, json=STANDARD).status_code == 401


# -- default_strategy(), strategy_to_add() ----------------------------------------------------


def test_default_strategy_function__none_until_set_then_stored(
    client: TestClient, settings: Settings
) -> None:
    db = engine(settings)
    with db.connect() as conn:
        assert default_strategy(conn, project="default", environment="development") is None
        assert strategy_to_add(
            conn, project="default", environment="development", feature_name="f"
        ) == {
            "name": "flexibleRollout",
            "constraints": [],
            "disabled": False,
            "parameters": {"rollout": "100", "stickiness": "default", "groupId": "f"},
        }
    url = DEFAULT.format(project="default", environment="development")
    client.post(url, headers=ADMIN, json={**STANDARD, "parameters": {"rollout": "30"}})
    with db.connect() as conn:
        assert default_strategy(conn, project="default", environment="development") == {
            **STANDARD,
            "parameters": {"rollout": "30"},
        }
        assert default_strategy(conn, project="default", environment="production") is None
        # No groupId: Unleash's resolveGroupId leaves it empty.
        assert strategy_to_add(
            conn, project="default", environment="development", feature_name="f"
        )["parameters"] == {"rollout": "30", "groupId": ""}


def test_strategy_to_add__empty_group_id__the_flags_name(
    client: TestClient, settings: Settings
) -> None:
    url = DEFAULT.format(project="default", environment="production")
    client.post(url, headers=ADMIN, json=STANDARD)
    with engine(settings).connect() as conn:
        assert strategy_to_add(
            conn, project="default", environment="production", feature_name="h6-f"
        ) == {**STANDARD, "parameters": {**PARAMETERS, "groupId": "h6-f"}}


def test_events__labelled_and_summarised_as_unleash(client: TestClient) -> None:
    client.post(
        DEFAULT.format(project="default", environment="development"), headers=ADMIN, json=STANDARD
    )
    client.delete(PROJECT_ENVIRONMENTS.format(project="default") + "/h6-nope", headers=ADMIN)
    for kind in ("default-strategy-updated", "project-environment-removed"):
        response = client.get(f"/api/admin/search/events?type=IS:{kind}", headers=ADMIN)
        event = response.json()["events"][0]
        # The reference's actor was its admin token, named "admin".
        summary = event["summary"].replace(event["createdBy"], "admin")
        assert {"label": event["label"], "summary": summary} == REFERENCE[f"searchEvents {kind}"]
