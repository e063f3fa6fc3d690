"""getMaintenance and toggleMaintenance, and what maintenance mode refuses, as Unleash 8.2.0
answered (fixtures/maintenance.json): admin POST/PUT/DELETE get 503 {"message"}; reads, PATCH,
SDK paths, logins and maintenance itself keep working."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from flagkit import add_strategy, create_flag, switch
from support import ADMIN, CLIENT, FRONTEND

RECORDED: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parent / "fixtures" / "maintenance.json").read_text()
)
MAINTENANCE = "/api/admin/maintenance"
PASSWORD = "Very-Secret-Pass-123!"
REFUSED = (503, RECORDED["admin_post_while_on"]["body"])


def toggle(client: TestClient, enabled: Any) -> Any:
    return client.post(MAINTENANCE, headers=ADMIN, json={"enabled": enabled})


def test_maintenance__recorded_sequence__as_8_2(client: TestClient) -> None:
    create_flag(client, "h3-m")
    first = client.get(MAINTENANCE, headers=ADMIN)
    assert (first.status_code, first.json()) == (200, RECORDED["get_initial"]["body"])
    assert (toggle(client, True).status_code, toggle(client, True).content) == (204, b"")
    post = client.post(
        "/api/admin/projects/default/features", headers=ADMIN, json={"name": "h3-maint"}
    )
    assert (post.status_code, post.json()) == REFUSED
    got = client.get(MAINTENANCE, headers=ADMIN)
    assert (got.status_code, got.json()) == (200, {"enabled": True})
    login = client.post("/auth/simple/login", json={"username": "h3-nobody", "password": "x"})
    assert (login.status_code, login.json()["name"]) == (401, "PasswordMismatch")
    patch = client.patch("/api/admin/projects/default/features/h3-m", headers=ADMIN, json=[])
    assert patch.status_code == 200
    register = client.post(
        "/api/client/register",
        headers=CLIENT,
        json={
            "appName": "h3-app",
            "instanceId": "i",
            "strategies": [],
            "started": "2026-01-01T00:00:00Z",
            "interval": 10,
        },
    )
    assert register.status_code == 202
    bad = toggle(client, "yes")
    body = bad.json()
    body["id"] = "<uuid>"
    assert (bad.status_code, body) == (400, RECORDED["toggle_bad_body"]["body"])
    assert toggle(client, False).status_code == 204
    flags = client.get("/api/admin/projects/default/features", headers=ADMIN).json()["features"]
    assert [f["name"] for f in flags] == ["h3-m"]


def test_toggle_maintenance__events_setting_created_then_updated_as_8_2(
    client: TestClient,
) -> None:
    toggle(client, True)
    toggle(client, False)
    events = client.get(
        "/api/admin/search/events?type=IS_ANY_OF:setting-created,setting-updated", headers=ADMIN
    ).json()["events"]
    keys = ("type", "data", "preData", "project", "environment", "featureName", "tags")
    assert [{k: e[k] for k in keys} for e in events] == RECORDED["events"]


def test_maintenance_on__admin_writes_refused_and_nothing_changes(client: TestClient) -> None:
    create_flag(client, "h3-kept")
    toggle(client, True)
    for method, path, body in [
        ("POST", "/api/admin/segments", {"name": "s", "constraints": []}),
        ("PUT", "/api/admin/feature-types/release/lifetime", {"lifetimeDays": 3}),
        ("DELETE", "/api/admin/projects/default/features/h3-kept", None),
        ("POST", "/api/admin/strategies", {"name": "h3-c", "parameters": []}),
        # Refused before the body is read, as Unleash's middleware refuses it.
        ("POST", "/api/admin/segments", {"bad": True}),
    ]:
        response = client.request(method, path, headers=ADMIN, json=body)
        assert (response.status_code, response.json()) == REFUSED, (method, path)
    toggle(client, False)
    assert client.get("/api/admin/segments", headers=ADMIN).json()["segments"] == []
    lifetime = client.get("/api/admin/feature-types", headers=ADMIN).json()["types"][0]
    assert lifetime["lifetimeDays"] == 40
    assert (
        client.get("/api/admin/projects/default/features/h3-kept", headers=ADMIN).status_code == 200
    )
    assert client.get("/api/admin/strategies/h3-c", headers=ADMIN).status_code == 404


def test_maintenance_on__sdks_keep_being_served(client: TestClient) -> None:
    create_flag(client, "h3-sdk")
    add_strategy(client, "h3-sdk", name="default", parameters={})
    switch(client, "h3-sdk", on=True)
    toggle(client, True)
    features = client.get("/api/client/features", headers=CLIENT)
    assert [f["name"] for f in features.json()["features"]] == ["h3-sdk"]
    frontend = client.get("/api/frontend", headers=FRONTEND)
    assert [t["name"] for t in frontend.json()["toggles"]] == ["h3-sdk"]
    metrics = client.post(
        "/api/client/metrics",
        headers=CLIENT,
        json={
            "appName": "h3-app",
            "instanceId": "i",
            "bucket": {
                "start": "2026-01-01T00:00:00Z",
                "stop": "2026-01-01T00:01:00Z",
                "toggles": {"h3-sdk": {"yes": 1, "no": 0}},
            },
        },
    )
    assert metrics.status_code == 202


def test_maintenance_on__no_credentials__401_first(client: TestClient) -> None:
    toggle(client, True)
    response = client.post("/api/admin/segments", json={"name": "s", "constraints": []})
    assert response.status_code == 401


def test_maintenance_on__viewer__503_before_the_permission_check(client: TestClient) -> None:
    created = client.post(
        "/api/admin/user-admin",
        headers=ADMIN,
        json={"username": "h3-mv", "rootRole": 3, "password": PASSWORD},
    )
    assert created.status_code == 201
    toggle(client, True)
    login = client.post("/auth/simple/login", json={"username": "h3-mv", "password": PASSWORD})
    assert login.status_code == 200
    response = client.post("/api/admin/segments", json={"name": "s", "constraints": []})
    refused_toggle = client.post(MAINTENANCE, json={"enabled": False})
    client.cookies.clear()
    assert (response.status_code, response.json()) == REFUSED
    # Maintenance itself is not guarded: the viewer lacks the permission to switch it.
    assert refused_toggle.status_code == 403
    assert refused_toggle.json()["permissions"] == ["ADMIN", "UPDATE_MAINTENANCE_MODE"]


def test_maintenance__no_token__401(client: TestClient) -> None:
    assert client.get(MAINTENANCE).status_code == 401
    assert client.post(MAINTENANCE, json={"enabled": True}).status_code == 401
