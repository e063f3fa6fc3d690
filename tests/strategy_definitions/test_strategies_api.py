"""The seven /api/admin/strategies endpoints, replayed against the answers Unleash 8.2.0 gave
(fixtures/strategies_api.json, recorded in this order), and their events."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from support import ADMIN

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RECORDED: dict[str, Any] = json.loads((FIXTURES / "strategies_api.json").read_text())
BUILT_INS: dict[str, Any] = json.loads((FIXTURES / "built_in_strategies.json").read_text())
EVENTS: list[dict[str, Any]] = json.loads((FIXTURES / "strategy_events.json").read_text())

VIEWER = 3
PASSWORD = "Very-Secret-Pass-123!"


def user_pat(client: TestClient, username: str, root_role: int) -> tuple[int, dict[str, str]]:
    """A new user with `root_role`, and the Authorization header of a PAT of theirs."""
    created = client.post(
        "/api/admin/user-admin",
        headers=ADMIN,
        json={"username": username, "rootRole": root_role, "password": PASSWORD},
    )
    assert created.status_code == 201, created.text
    login = client.post("/auth/simple/login", json={"username": username, "password": PASSWORD})
    assert login.status_code == 200
    pat = client.post(
        "/api/admin/user/tokens", json={"description": "t", "expiresAt": "2099-01-01T00:00:00Z"}
    )
    client.cookies.clear()
    return int(created.json()["id"]), {"Authorization": pat.json()["secret"]}


# Unleash throws a plain Error for a change to a built-in strategy (500, "UnknownError");
# leash keeps its words and answers 403 InvalidOperationError.
REFUSED_BUILT_IN = {
    "name": "InvalidOperationError",
    "message": "Cannot edit strategy default",
    "details": [{"message": "Cannot edit strategy default"}],
}


def send(client: TestClient, method: str, path: str, body: Any) -> Any:
    if body is None:
        return client.request(method, path, headers=ADMIN)
    return client.request(method, path, headers=ADMIN, json=body)


def answer(response: Any) -> Any:
    if not response.content:
        return None
    body = response.json()
    if isinstance(body, dict) and isinstance(body.get("id"), str) and "details" in body:
        body["id"] = "<uuid>"
    return body


def test_get_all_strategies__empty_database__the_four_built_ins_as_8_2(
    client: TestClient,
) -> None:
    response = client.get("/api/admin/strategies", headers=ADMIN)
    assert response.status_code == 200
    assert response.json() == BUILT_INS


def test_strategies__recorded_sequence__answers_as_8_2(client: TestClient) -> None:
    for key, recorded in RECORDED.items():
        method, path, body = recorded["request"]
        response = send(client, method, path, body)
        if key in ("update_built_in", "delete_built_in"):
            assert (response.status_code, response.json()) == (403, REFUSED_BUILT_IN), key
            continue
        assert (response.status_code, answer(response)) == (
            recorded["status"],
            recorded["body"],
        ), key
        if key == "create":
            assert response.headers["location"] == "strategies/h3-fx-a"


def test_strategies__recorded_sequence__events_as_8_2(client: TestClient) -> None:
    for recorded in RECORDED.values():
        send(client, *recorded["request"])
    events = client.get("/api/admin/events", headers=ADMIN).json()["events"]
    mine = [
        {
            "type": e["type"],
            "createdBy": e["createdBy"],
            "data": e["data"],
            "preData": e["preData"],
            "featureName": e["featureName"],
            "project": e["project"],
            "environment": e["environment"],
            "tags": e["tags"],
        }
        for e in reversed(events)
        if e["type"].startswith("strategy-") and str(e["data"]["name"]).startswith("h3-fx")
    ]
    assert mine == EVENTS


def test_get_all_strategies__customs_after_built_ins_by_name(client: TestClient) -> None:
    for name in ("h3-zeta", "h3-alpha"):
        created = client.post(
            "/api/admin/strategies", headers=ADMIN, json={"name": name, "parameters": []}
        )
        assert created.status_code == 201
    listed = client.get("/api/admin/strategies", headers=ADMIN).json()["strategies"]
    names = [s["name"] for s in listed]
    assert names == [
        "flexibleRollout",
        "default",
        "remoteAddress",
        "applicationHostname",
        "h3-alpha",
        "h3-zeta",
    ]


def test_create_strategy__joi_reports_every_problem(client: TestClient) -> None:
    response = client.post(
        "/api/admin/strategies",
        headers=ADMIN,
        json={"name": "", "parameters": [{"name": "", "type": "string"}]},
    )
    assert response.status_code == 400
    assert response.json()["details"] == [
        {"message": '"name" is not allowed to be empty.'},
        {"message": '"parameters[0].name" is not allowed to be empty.'},
    ]
    listed = client.get("/api/admin/strategies", headers=ADMIN).json()["strategies"]
    assert len(listed) == 4


def test_update_strategy__title_not_a_string__400_and_unchanged(client: TestClient) -> None:
    client.post("/api/admin/strategies", headers=ADMIN, json={"name": "h3-s", "parameters": []})
    response = client.put(
        "/api/admin/strategies/h3-s", headers=ADMIN, json={"title": 5, "parameters": []}
    )
    assert response.status_code == 400
    assert response.json()["details"] == [{"message": '"title" must be a string. You provided 5.'}]
    assert client.get("/api/admin/strategies/h3-s", headers=ADMIN).json()["title"] is None


def test_create_strategy__not_json__415(client: TestClient) -> None:
    response = client.post(
        "/api/admin/strategies",
        headers={**ADMIN, "Content-Type": "text/plain"},
        content=b'{"name":"h3-t","parameters":[]}',
    )
    assert response.status_code == 415


def test_strategies__no_token__401(client: TestClient) -> None:
    assert client.get("/api/admin/strategies").status_code == 401
    assert client.get("/api/admin/strategies/default").status_code == 401


@pytest.mark.parametrize(
    ("method", "path", "body", "permission"),
    [
        ("POST", "/api/admin/strategies", {"name": "h3-v", "parameters": []}, "CREATE_STRATEGY"),
        ("PUT", "/api/admin/strategies/h3-v", {"parameters": []}, "UPDATE_STRATEGY"),
        ("POST", "/api/admin/strategies/h3-v/deprecate", None, "UPDATE_STRATEGY"),
        ("POST", "/api/admin/strategies/h3-v/reactivate", None, "UPDATE_STRATEGY"),
        ("DELETE", "/api/admin/strategies/h3-v", None, "DELETE_STRATEGY"),
    ],
)
def test_strategy_writes__viewer__403_and_nothing_changes(
    client: TestClient, method: str, path: str, body: Any, permission: str
) -> None:
    client.post("/api/admin/strategies", headers=ADMIN, json={"name": "h3-v", "parameters": []})
    _, viewer = user_pat(client, "viewer-s", VIEWER)
    response = client.request(method, path, headers=viewer, json=body)
    assert response.status_code == 403
    assert response.json()["permissions"] == [permission]
    stored = client.get("/api/admin/strategies/h3-v", headers=viewer)
    assert stored.status_code == 200
    assert (stored.json()["deprecated"], stored.json()["parameters"]) == (False, [])
