"""The built-in project roles as Unleash 8.2 has them (fixtures/project_roles_82.json): Owner
(24 permissions, environment-scoped ones once per environment), Member (18) and Reader (none),
seen through what their holders' getMe lists, the personal dashboard's roles and the instance
statistics' role count."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from support import ADMIN

REFERENCE: dict[str, Any] = json.loads(
    (Path(__file__).parent / "fixtures" / "project_roles_82.json").read_text()
)
VIEWER = 3
PASSWORD = "Very-Secret-Pass-123!"
ROLES = {"Owner": 4, "Member": 5, "Reader": 6}


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
    return int(created.json()["id"]), {"Authorization": str(pat.json()["secret"])}


def _holder(client: TestClient, role: str) -> dict[str, str]:
    """A Viewer given `role` on the default project, as the reference's users were."""
    user_id, headers = user_pat(client, role.lower() + "1", VIEWER)
    assigned = client.post(
        f"/api/admin/projects/default/role/{ROLES[role]}/access",
        headers=ADMIN,
        json={"users": [{"id": user_id}], "groups": []},
    )
    assert assigned.status_code == 200, assigned.text
    return headers


def _sorted(permissions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(permissions, key=lambda p: (p["permission"], p.get("environment") or ""))


@pytest.mark.parametrize("role", list(ROLES))
def test_project_role__holder_permissions__as_unleash(client: TestClient, role: str) -> None:
    headers = _holder(client, role)
    me = client.get("/api/admin/user", headers=headers)
    assert me.status_code == 200
    assert _sorted(me.json()["permissions"]) == REFERENCE[f"getMe permissions ({role})"]
    details = client.get("/api/admin/personal-dashboard/default", headers=headers)
    expected = REFERENCE[f"getPersonalDashboardProjectDetails roles ({role})"]
    assert details.json()["roles"] == expected


def test_project_roles__listed_with_unleash_names_and_descriptions(client: TestClient) -> None:
    access = client.get("/api/admin/projects/default/access", headers=ADMIN).json()
    expected = [r for r in REFERENCE["roles table"] if r["type"] == "project"]
    assert access["roles"] == expected


def test_instance_stats__six_roles_as_unleash(client: TestClient) -> None:
    stats = client.get("/api/admin/instance-admin/statistics", headers=ADMIN).json()
    assert stats["roles"] == REFERENCE["getInstanceAdminStats roles"] == 6


def test_reader__create_flag__403(client: TestClient) -> None:
    reader = _holder(client, "Reader")
    response = client.post(
        "/api/admin/projects/default/features", headers=reader, json={"name": "r1"}
    )
    assert response.status_code == 403
    assert response.json()["permissions"] == ["CREATE_FEATURE"]
    assert client.get("/api/admin/projects/default/features", headers=reader).status_code == 200


def test_member__create_flag__201(client: TestClient) -> None:
    member = _holder(client, "Member")
    response = client.post(
        "/api/admin/projects/default/features", headers=member, json={"name": "m1"}
    )
    assert response.status_code == 201, response.text


def test_owner__manages_project_access_through_update_project(client: TestClient) -> None:
    owner = _holder(client, "Owner")
    reader_id, _ = user_pat(client, "someone", VIEWER)
    added = client.post(
        "/api/admin/projects/default/role/6/access",
        headers=owner,
        json={"users": [{"id": reader_id}], "groups": []},
    )
    assert added.status_code == 200, added.text
    users = client.get("/api/admin/projects/default/access", headers=owner).json()["users"]
    assert (reader_id, 6) in [(u["id"], u["roleId"]) for u in users]
    removed = client.delete(f"/api/admin/projects/default/users/{reader_id}/roles/6", headers=owner)
    assert removed.status_code == 200


def test_member__project_access__403(client: TestClient) -> None:
    member = _holder(client, "Member")
    response = client.get("/api/admin/projects/default/access", headers=member)
    assert response.status_code == 403
    assert response.json()["permissions"] == ["UPDATE_PROJECT", "PROJECT_USER_ACCESS_READ"]
