"""Who may call the flag operations added for 8.2 (environment variants, strategy patch and
order, bulk toggles, the flag environment, dependencies), and the answers where leash differs
from Unleash 8.2 on purpose."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from flagkit import add_strategy, create_flag
from leash.config import Settings
from leash.db import create_db_engine
from support import ADMIN, BAD_DATA_ONE, CLIENT, add_project

PASSWORD = "Very-Secret-Pass-123!"
VIEWER = 3
FEAT = "/api/admin/projects/default/features"
ENV = FEAT + "/f/environments/development"

# (method, path, body, the permission a viewer lacks)
WRITES: list[tuple[str, str, Any, str]] = [
    ("PUT", ENV + "/variants", [], "UPDATE_FEATURE_ENVIRONMENT_VARIANTS"),
    ("PATCH", ENV + "/variants", [], "UPDATE_FEATURE_ENVIRONMENT_VARIANTS"),
    (
        "PUT",
        FEAT + "/f/variants-batch",
        {"variants": [], "environments": ["development"]},
        "UPDATE_FEATURE_ENVIRONMENT_VARIANTS",
    ),
    ("PATCH", ENV + "/strategies/{sid}", [], "UPDATE_FEATURE_STRATEGY"),
    ("POST", ENV + "/strategies/set-sort-order", [], "UPDATE_FEATURE_STRATEGY"),
    (
        "POST",
        "/api/admin/projects/default/bulk_features/environments/development/on",
        {"features": ["f"]},
        "UPDATE_FEATURE_ENVIRONMENT",
    ),
    (
        "POST",
        "/api/admin/projects/default/bulk_features/environments/development/off",
        {"features": ["f"]},
        "UPDATE_FEATURE_ENVIRONMENT",
    ),
    ("POST", FEAT + "/f/dependencies", {"feature": "p"}, "UPDATE_FEATURE_DEPENDENCY"),
    ("DELETE", FEAT + "/f/dependencies/p", None, "UPDATE_FEATURE_DEPENDENCY"),
    ("DELETE", FEAT + "/f/dependencies", None, "UPDATE_FEATURE_DEPENDENCY"),
]
READS = [
    ENV,
    ENV + "/variants",
    FEAT + "/f/parents",
    FEAT + "/f/parent-variants",
    "/api/admin/projects/default/dependencies",
]


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


def _flags(client: TestClient) -> str:
    create_flag(client, "f")
    create_flag(client, "p")
    return add_strategy(client, "f")


def _request(client: TestClient, method: str, path: str, body: Any, headers: dict[str, str]) -> Any:
    if body is None:
        return client.request(method, path, headers=headers)
    return client.request(method, path, headers=headers, json=body)


def test_writes__viewer__403_permission_error_and_nothing_changed(client: TestClient) -> None:
    strategy_id = _flags(client)
    viewer = _viewer(client)
    before = client.get("/api/admin/events", headers=ADMIN).json()["events"]
    for method, path, body, permission in WRITES:
        response = _request(client, method, path.format(sid=strategy_id), body, viewer)
        assert (method, path, response.status_code) == (method, path, 403)
        assert response.json()["permissions"] == [permission]
    assert client.get("/api/admin/events", headers=ADMIN).json()["events"] == before


def test_writes_and_reads__no_credentials__401(client: TestClient) -> None:
    strategy_id = _flags(client)
    for method, path, body, _ in WRITES:
        response = _request(client, method, path.format(sid=strategy_id), body, {})
        assert (path, response.status_code) == (path, 401)
    for path in READS:
        assert (path, client.get(path).status_code) == (path, 401)


def test_reads__client_token__403(client: TestClient) -> None:
    _flags(client)
    for path in READS:
        assert (path, client.get(path, headers=CLIENT).status_code) == (path, 403)


def test_reads__viewer__200(client: TestClient) -> None:
    _flags(client)
    viewer = _viewer(client)
    for path in READS:
        assert (path, client.get(path, headers=viewer).status_code) == (path, 200)


def test_add_dependency__parent_in_other_project__404(
    client: TestClient, settings: Settings
) -> None:
    engine = create_db_engine(settings.database_url)
    try:
        add_project(engine, "other")
    finally:
        engine.dispose()
    create_flag(client, "child")
    create_flag(client, "elsewhere", project="other")
    response = client.post(
        FEAT + "/child/dependencies", headers=ADMIN, json={"feature": "elsewhere"}
    )
    message = (
        "Cannot add the dependency. Both the parent and the child feature must belong to "
        'project "default".'
    )
    assert (response.status_code, response.json()) == (
        404,
        {"name": "NotFoundError", "message": message, "details": [{"message": message}]},
    )
    # Through the other project's path the child is not there either.
    response = client.post(
        "/api/admin/projects/other/features/child/dependencies",
        headers=ADMIN,
        json={"feature": "elsewhere"},
    )
    assert response.status_code == 404
    assert client.get(FEAT + "/child", headers=ADMIN).json()["dependencies"] == []


def test_delete_dependency__through_other_project__404_and_kept(
    client: TestClient, settings: Settings
) -> None:
    engine = create_db_engine(settings.database_url)
    try:
        add_project(engine, "other")
    finally:
        engine.dispose()
    create_flag(client, "child")
    create_flag(client, "parent")
    assert (
        client.post(
            FEAT + "/child/dependencies", headers=ADMIN, json={"feature": "parent"}
        ).status_code
        == 200
    )
    other = "/api/admin/projects/other/features/child/dependencies"
    assert client.delete(other + "/parent", headers=ADMIN).status_code == 404
    assert client.delete(other, headers=ADMIN).status_code == 404
    assert client.get(FEAT + "/child", headers=ADMIN).json()["dependencies"] == [
        {"feature": "parent", "enabled": True, "variants": []}
    ]


@pytest.mark.parametrize(
    ("operations", "message"),
    [
        (
            [{"op": "replace", "path": "/nope/x", "value": "50"}],
            "Cannot read properties of undefined (reading 'x')",
        ),
        ([{"op": "replace", "path": "/constraints/x", "value": 1}], None),
    ],
)
def test_patch_strategy__patch_fails__400_not_500(
    client: TestClient, operations: list[dict[str, Any]], message: str | None
) -> None:
    """Unleash 8.2 answers a patch that cannot be applied with a 500 (UnknownError)."""
    strategy_id = _flags(client)
    response = client.patch(f"{ENV}/strategies/{strategy_id}", headers=ADMIN, json=operations)
    assert response.status_code == 400
    body = response.json()
    assert body["name"] == "BadDataError"
    assert body["message"].startswith(BAD_DATA_ONE + "Could not apply provided patch: ")
    if message is not None:
        assert body["details"] == [{"message": f"Could not apply provided patch: {message}"}]


def test_patch_strategy__test_operation_fails__400_and_unchanged(client: TestClient) -> None:
    strategy_id = _flags(client)
    path = f"{ENV}/strategies/{strategy_id}"
    before = client.get(path, headers=ADMIN).json()
    response = client.patch(
        path,
        headers=ADMIN,
        json=[
            {"op": "replace", "path": "/title", "value": "changed"},
            {"op": "test", "path": "/name", "value": "default"},
        ],
    )
    assert response.status_code == 400
    assert "TEST_OPERATION_FAILED" in response.json()["message"]
    assert client.get(path, headers=ADMIN).json() == before


def test_patch_strategy__other_environment__404(client: TestClient) -> None:
    """Unleash 8.2 changes the strategy through any environment's path; leash, as its PUT,
    finds a strategy only in its own environment."""
    strategy_id = _flags(client)
    response = client.patch(
        f"{FEAT}/f/environments/production/strategies/{strategy_id}",
        headers=ADMIN,
        json=[{"op": "replace", "path": "/title", "value": "x"}],
    )
    assert response.status_code == 404


def test_patch_strategy__other_flag__403(client: TestClient) -> None:
    strategy_id = _flags(client)
    response = client.patch(
        f"{FEAT}/p/environments/development/strategies/{strategy_id}", headers=ADMIN, json=[]
    )
    assert (response.status_code, response.content) == (403, b"")


def test_patch_strategy__segments_replaced(client: TestClient) -> None:
    strategy_id = _flags(client)
    segment = client.post(
        "/api/admin/segments", headers=ADMIN, json={"name": "s", "constraints": []}
    ).json()["id"]
    path = f"{ENV}/strategies/{strategy_id}"
    response = client.patch(
        path, headers=ADMIN, json=[{"op": "add", "path": "/segments/-", "value": segment}]
    )
    assert response.status_code == 200, response.text
    assert response.json()["segments"] == [segment]
    assert client.get(path, headers=ADMIN).json()["segments"] == [segment]


def test_bulk_toggle__archived_flag__400_and_none_toggled(client: TestClient) -> None:
    """As recorded on Unleash 8.2.0."""
    create_flag(client, "a")
    create_flag(client, "b")
    assert client.delete(FEAT + "/b", headers=ADMIN).status_code == 202
    response = client.post(
        "/api/admin/projects/default/bulk_features/environments/development/on",
        headers=ADMIN,
        json={"features": ["a", "b"]},
    )
    message = "Cannot perform this operation on archived features"
    assert (response.status_code, response.json()) == (
        400,
        {"name": "ArchivedFeatureError", "message": message, "details": [{"message": message}]},
    )
    assert client.get(FEAT + "/a/environments/development", headers=ADMIN).json() == {
        "name": "a",
        "environment": "development",
        "enabled": False,
        "strategies": [],
    }


def test_add_strategy__empty_group_id__the_flag_name(client: TestClient) -> None:
    """As recorded on Unleash 8.2.0: an empty groupId and stickiness get their defaults."""
    create_flag(client, "gid")
    response = client.post(
        FEAT + "/gid/environments/development/strategies",
        headers=ADMIN,
        json={
            "name": "flexibleRollout",
            "parameters": {"groupId": "", "rollout": "10", "stickiness": ""},
        },
    )
    assert response.status_code == 200
    assert response.json()["parameters"] == {
        "groupId": "gid",
        "rollout": "10",
        "stickiness": "default",
    }
