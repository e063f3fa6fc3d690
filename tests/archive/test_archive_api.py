"""Archive, revive, delete and stale: what SDKs see, who may, and the rules the recorded
scenario does not reach (test_archive_reference.py holds the answers recorded from 8.2.0)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

import flagkit
from support import ADMIN, CLIENT, add_project

P = "/api/admin/projects/default"
VIEWER = 3
PASSWORD = "Very-Secret-Pass-123!"


def _db(client: TestClient) -> Engine:
    db: Engine = client.app.state.db  # type: ignore[attr-defined]
    return db


def _sdk_flags(client: TestClient) -> dict[str, bool]:
    body = client.get("/api/client/features", headers=CLIENT).json()
    return {f["name"]: f["enabled"] for f in body["features"]}


def _viewer(client: TestClient) -> dict[str, str]:
    created = client.post(
        "/api/admin/user-admin",
        headers=ADMIN,
        json={"username": "viewer", "rootRole": VIEWER, "password": PASSWORD},
    )
    assert created.status_code == 201, created.text
    login = client.post("/auth/simple/login", json={"username": "viewer", "password": PASSWORD})
    assert login.status_code == 200
    pat = client.post(
        "/api/admin/user/tokens", json={"description": "t", "expiresAt": "2099-01-01T00:00:00Z"}
    )
    client.cookies.clear()
    return {"Authorization": pat.json()["secret"]}


def test_archive_features__archived_flags_leave_the_client_api(client: TestClient) -> None:
    for name in ("x1", "x2"):
        flagkit.create_flag(client, name)
        flagkit.add_strategy(client, name)
        flagkit.switch(client, name)
    assert _sdk_flags(client) == {"x1": True, "x2": True}
    response = client.post(P + "/archive", headers=ADMIN, json={"features": ["x1"]})
    assert (response.status_code, response.content) == (202, b"")
    assert _sdk_flags(client) == {"x2": True}


def test_revive_feature__comes_back_to_sdks_disabled(client: TestClient) -> None:
    flagkit.create_flag(client, "x1")
    flagkit.add_strategy(client, "x1")
    flagkit.switch(client, "x1")
    assert client.delete(P + "/features/x1", headers=ADMIN).status_code == 202
    assert client.post("/api/admin/archive/revive/x1", headers=ADMIN).status_code == 200
    assert _sdk_flags(client) == {"x1": False}


def test_delete_features__tags_kept_in_the_deleted_event(client: TestClient) -> None:
    flagkit.create_flag(client, "x1")
    flagkit.add_tag(_db(client), "x1", "simple", "blue")
    assert client.post(P + "/archive", headers=ADMIN, json={"features": ["x1"]}).status_code == 202
    assert client.post(P + "/delete", headers=ADMIN, json={"features": ["x1"]}).status_code == 200
    assert client.get(P + "/features/x1", headers=ADMIN).status_code == 404
    events = client.get("/api/admin/events", headers=ADMIN).json()["events"]
    deleted = [e for e in events if e["type"] == "feature-deleted"]
    assert [(e["featureName"], e["tags"]) for e in deleted] == [
        ("x1", [{"value": "blue", "type": "simple"}])
    ]
    assert deleted[0]["preData"]["archived"] is True


def test_archive_features__flag_of_another_project__403_nothing_archived(
    client: TestClient,
) -> None:
    add_project(_db(client), "other")
    flagkit.create_flag(client, "mine")
    flagkit.create_flag(client, "theirs", project="other")
    response = client.post(P + "/archive", headers=ADMIN, json={"features": ["mine", "theirs"]})
    assert response.status_code == 403
    assert response.json()["message"] == (
        "The operation could not be completed. The features exist, but the provided project "
        'ids ("other") does not match the project provided in request URL ("default").'
    )
    assert client.get(P + "/features/mine", headers=ADMIN).status_code == 200


def test_archive_features__two_parents_with_children__403_plural_message(
    client: TestClient,
) -> None:
    from sqlalchemy import insert

    from leash.features.models import feature_dependencies

    for name in ("p1", "p2", "c1"):
        flagkit.create_flag(client, name)
    with _db(client).begin() as conn:
        conn.execute(insert(feature_dependencies).values(parent="p1", child="c1"))
    response = client.post(P + "/archive", headers=ADMIN, json={"features": ["p1", "p2"]})
    assert response.status_code == 403
    message = "You can not archive/delete those features since other features depend on them."
    assert response.json() == {
        "name": "InvalidOperationError",
        "message": message,
        "details": [{"message": message}],
    }


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", P + "/archive", {"features": ["x1"]}),
        ("POST", P + "/delete", {"features": ["x1"]}),
        ("POST", P + "/revive", {"features": ["x1"]}),
        ("POST", P + "/stale", {"features": ["x1"], "stale": True}),
        ("POST", "/api/admin/archive/revive/x1", None),
        ("DELETE", "/api/admin/archive/x1", None),
        ("POST", P + "/features/x1/lifecycle/complete", {"status": "kept"}),
        ("POST", P + "/features/x1/lifecycle/uncomplete", None),
        ("POST", P + "/features/x1/clone", {"name": "x2"}),
    ],
)
def test_bulk_archive_routes__viewer__403_nothing_changed(
    client: TestClient, method: str, path: str, body: Any
) -> None:
    flagkit.create_flag(client, "x1")
    viewer = _viewer(client)
    before = client.get("/api/admin/events", headers=ADMIN).json()["events"]
    response = client.request(method, path, headers=viewer, json=body)
    assert response.status_code == 403
    assert response.json()["name"] == "PermissionError"
    assert client.get("/api/admin/events", headers=ADMIN).json()["events"] == before


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", P + "/archive"),
        ("POST", P + "/archive/validate"),
        ("POST", "/api/admin/archive/revive/x1"),
        ("DELETE", "/api/admin/archive/x1"),
        ("GET", "/api/admin/lifecycle/count"),
    ],
)
def test_archive_routes__no_token__401(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, path, json={"features": []})
    assert response.status_code == 401
    assert response.json()["name"] == "AuthenticationRequired"


def test_archived_features_list__gone_in_8_2__404(client: TestClient) -> None:
    assert client.get("/api/admin/archive/features", headers=ADMIN).status_code == 404
    assert client.get("/api/admin/archive/features/default", headers=ADMIN).status_code == 404


def test_clone_feature__enabled_source__clone_disabled_for_sdks(client: TestClient) -> None:
    flagkit.create_flag(client, "x1")
    flagkit.add_strategy(client, "x1")
    flagkit.switch(client, "x1")
    response = client.post(P + "/features/x1/clone", headers=ADMIN, json={"name": "x2"})
    assert response.status_code == 201
    assert _sdk_flags(client) == {"x1": True, "x2": False}
