"""Who may do what: root roles, project roles and the permission checks on admin routes,
for users acting through personal access tokens and session cookies."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from leash.config import Settings
from leash.db import create_db_engine
from support import ADMIN, CLIENT, insert_project

PASSWORD = "Very-Secret-Pass-123!"
VIEWER, EDITOR, OWNER, MEMBER = 3, 2, 4, 5
SEGMENT_PERMISSIONS = (
    "You don't have the required permissions to perform this operation. To perform this "
    'action, you need one of the following permissions: "CREATE_SEGMENT", '
    '"UPDATE_PROJECT_SEGMENT".'
)


def add_project(settings: Settings, project_id: str) -> None:
    """There is no project-create endpoint yet, so a second project is inserted directly."""
    engine = create_db_engine(settings.database_url)
    try:
        with engine.begin() as conn:
            insert_project(conn, project=project_id, environments=("development",))
    finally:
        engine.dispose()


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
        "/api/admin/user/tokens",
        json={"description": "t", "expiresAt": "2099-01-01T00:00:00Z"},
    )
    client.cookies.clear()
    return int(created.json()["id"]), {"Authorization": pat.json()["secret"]}


def segment(name: str, project: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"name": name, "constraints": []}
    if project is not None:
        body["project"] = project
    return body


def test_viewer_pat__create_segment__403_permission_error(client: TestClient) -> None:
    _, viewer = user_pat(client, "viewer1", VIEWER)
    response = client.post("/api/admin/segments", headers=viewer, json=segment("v"))
    assert response.status_code == 403
    body = response.json()
    assert isinstance(body.pop("id"), str)
    assert body == {
        "name": "PermissionError",
        "message": SEGMENT_PERMISSIONS,
        "details": [{"message": SEGMENT_PERMISSIONS}],
        "permissions": ["CREATE_SEGMENT", "UPDATE_PROJECT_SEGMENT"],
    }
    # Reading needs no permission.
    assert client.get("/api/admin/segments", headers=viewer).status_code == 200


def test_viewer_pat__events_and_api_tokens__403(client: TestClient) -> None:
    _, viewer = user_pat(client, "viewer2", VIEWER)
    events = client.get("/api/admin/events", headers=viewer)
    assert (events.status_code, events.json()["permissions"]) == (403, ["ADMIN"])
    tokens = client.get("/api/admin/api-tokens", headers=viewer)
    assert tokens.json()["permissions"] == [
        "ADMIN",
        "READ_CLIENT_API_TOKEN",
        "READ_FRONTEND_API_TOKEN",
    ]


def test_editor_pat__create_update_delete_segment__allowed(client: TestClient) -> None:
    user_id, editor = user_pat(client, "editor1", EDITOR)
    created = client.post("/api/admin/segments", headers=editor, json=segment("e"))
    assert created.status_code == 201, created.text
    assert created.json()["createdBy"] == "editor1"
    segment_id = created.json()["id"]
    updated = client.put(f"/api/admin/segments/{segment_id}", headers=editor, json=segment("e2"))
    assert updated.status_code == 204
    assert client.delete(f"/api/admin/segments/{segment_id}", headers=editor).status_code == 204
    events = client.get("/api/admin/events", headers=ADMIN).json()["events"]
    mine = [e for e in events if e["type"].startswith("segment-")]
    assert {(e["createdBy"], e["createdByUserId"]) for e in mine} == {("editor1", user_id)}


def test_editor__api_tokens__reads_client_tokens_but_cannot_create(client: TestClient) -> None:
    _, editor = user_pat(client, "editor2", EDITOR)
    listed = client.get("/api/admin/api-tokens", headers=editor)
    assert listed.status_code == 200
    assert {t["type"] for t in listed.json()["tokens"]} == {"client", "frontend"}
    created = client.post(
        "/api/admin/api-tokens",
        headers=editor,
        json={"tokenName": "x", "type": "client", "environment": "development"},
    )
    assert created.status_code == 403
    assert created.json()["permissions"] == [
        "ADMIN",
        "CREATE_CLIENT_API_TOKEN",
        "CREATE_FRONTEND_API_TOKEN",
    ]


def test_project_owner__segments_of_own_project_only(
    client: TestClient, settings: Settings
) -> None:
    add_project(settings, "team-a")
    owner_id, owner = user_pat(client, "owner1", VIEWER)
    assigned = client.post(
        f"/api/admin/projects/team-a/role/{OWNER}/access",
        headers=ADMIN,
        json={"users": [{"id": owner_id}], "groups": []},
    )
    assert assigned.status_code == 200, assigned.text

    own = client.post("/api/admin/segments", headers=owner, json=segment("own", "team-a"))
    assert own.status_code == 201, own.text
    own_id = own.json()["id"]
    edited = client.put(
        f"/api/admin/segments/{own_id}", headers=owner, json=segment("own-2", "team-a")
    )
    assert edited.status_code == 204

    other = client.post("/api/admin/segments", headers=owner, json=segment("x", "default"))
    assert other.status_code == 403
    global_ = client.post("/api/admin/segments", headers=owner, json=segment("g"))
    assert global_.status_code == 403

    theirs = client.post("/api/admin/segments", headers=ADMIN, json=segment("theirs", "default"))
    theirs_id = theirs.json()["id"]
    # The project comes from the stored segment, so naming their own project does not help.
    moved = client.put(
        f"/api/admin/segments/{theirs_id}", headers=owner, json=segment("theirs", "team-a")
    )
    assert moved.status_code == 403
    deleted = client.delete(f"/api/admin/segments/{theirs_id}", headers=owner)
    assert deleted.status_code == 403
    assert client.delete(f"/api/admin/segments/{own_id}", headers=owner).status_code == 204


def test_project_owner__permissions_listed_for_that_project(
    client: TestClient, settings: Settings
) -> None:
    add_project(settings, "team-b")
    owner_id, owner = user_pat(client, "owner2", VIEWER)
    client.post(
        f"/api/admin/projects/team-b/role/{OWNER}/access",
        headers=ADMIN,
        json={"users": [{"id": owner_id}], "groups": []},
    )
    permissions = client.get("/api/admin/user", headers=owner).json()["permissions"]
    assert {"project": "team-b", "permission": "UPDATE_PROJECT_SEGMENT"} in permissions
    assert {
        "project": "team-b",
        "environment": "development",
        "permission": "UPDATE_FEATURE_STRATEGY",
    } in permissions
    assert all(p.get("project") == "team-b" for p in permissions)
    access = client.get("/api/admin/projects/team-b/access", headers=ADMIN).json()
    assert [(u["id"], u["roleId"]) for u in access["users"]] == [(owner_id, OWNER)]


def test_project_member__cannot_manage_project_segments(
    client: TestClient, settings: Settings
) -> None:
    add_project(settings, "team-c")
    member_id, member = user_pat(client, "member1", VIEWER)
    client.post(
        f"/api/admin/projects/team-c/role/{MEMBER}/access",
        headers=ADMIN,
        json={"users": [{"id": member_id}], "groups": []},
    )
    response = client.post("/api/admin/segments", headers=member, json=segment("m", "team-c"))
    assert response.status_code == 403
    # Nor hand out roles in it.
    grant = client.post(
        f"/api/admin/projects/team-c/role/{OWNER}/access",
        headers=member,
        json={"users": [{"id": member_id}], "groups": []},
    )
    assert grant.status_code == 403


def test_project_role_removed__access_ends(client: TestClient, settings: Settings) -> None:
    add_project(settings, "team-d")
    owner_id, owner = user_pat(client, "owner3", VIEWER)
    client.post(
        f"/api/admin/projects/team-d/role/{OWNER}/access",
        headers=ADMIN,
        json={"users": [{"id": owner_id}], "groups": []},
    )
    removed = client.delete(
        f"/api/admin/projects/team-d/users/{owner_id}/roles/{OWNER}", headers=ADMIN
    )
    assert removed.status_code == 200
    response = client.post("/api/admin/segments", headers=owner, json=segment("r", "team-d"))
    assert response.status_code == 403


def test_session_cookie__acts_with_its_users_permissions(client: TestClient) -> None:
    client.post(
        "/api/admin/user-admin",
        headers=ADMIN,
        json={"username": "viewer3", "rootRole": VIEWER, "password": PASSWORD},
    )
    client.post("/auth/simple/login", json={"username": "viewer3", "password": PASSWORD})
    assert client.post("/api/admin/segments", json=segment("s")).status_code == 403
    assert client.get("/api/admin/segments").status_code == 200


def test_client_token__admin_api__403_wrong_type(client: TestClient) -> None:
    response = client.get("/api/admin/segments", headers=CLIENT)
    assert response.status_code == 403
    assert response.json() == {
        "message": "invalid token: expected a different token type for this endpoint"
    }


def test_pat__client_api__403_wrong_type(client: TestClient) -> None:
    _, editor = user_pat(client, "editor3", EDITOR)
    response = client.get("/api/client/features", headers=editor)
    assert response.status_code == 403


def _project_role(client: TestClient, project: str, role: int, user_id: int) -> None:
    assigned = client.post(
        f"/api/admin/projects/{project}/role/{role}/access",
        headers=ADMIN,
        json={"users": [{"id": user_id}], "groups": []},
    )
    assert assigned.status_code == 200, assigned.text


def _production_strategy(client: TestClient, flag: str) -> str:
    created = client.post(
        "/api/admin/projects/default/features", headers=ADMIN, json={"name": flag}
    )
    assert created.status_code == 201, created.text
    strategy = client.post(
        f"/api/admin/projects/default/features/{flag}/environments/production/strategies",
        headers=ADMIN,
        json={"name": "default"},
    )
    assert strategy.status_code == 200, strategy.text
    strategy_id: str = strategy.json()["id"]
    return strategy_id


def _segments_of(client: TestClient, strategy_id: str) -> list[int]:
    found = client.get(f"/api/admin/segments/strategies/{strategy_id}", headers=ADMIN).json()
    return [s["id"] for s in found["segments"]]


def test_member__bulk_segments_of_other_projects_strategy__403_unchanged(
    client: TestClient, settings: Settings
) -> None:
    add_project(settings, "team-m")
    member_id, member = user_pat(client, "member7", VIEWER)
    _project_role(client, "team-m", MEMBER, member_id)
    strategy_id = _production_strategy(client, "prod-flag")
    segment_id = client.post("/api/admin/segments", headers=ADMIN, json=segment("s7")).json()["id"]
    before = len(client.get("/api/admin/events", headers=ADMIN).json()["events"])
    # The body names the member's own project; the strategy is default's, in production.
    response = client.post(
        "/api/admin/segments/strategies",
        headers=member,
        json={
            "projectId": "team-m",
            "environmentId": "development",
            "strategyId": strategy_id,
            "segmentIds": [segment_id],
        },
    )
    assert (response.status_code, response.content) == (403, b"")
    assert _segments_of(client, strategy_id) == []
    assert len(client.get("/api/admin/events", headers=ADMIN).json()["events"]) == before


def test_member__bulk_segments_of_own_strategy__201_with_strategy_event(
    client: TestClient, settings: Settings
) -> None:
    add_project(settings, "team-n")
    member_id, member = user_pat(client, "member8", VIEWER)
    _project_role(client, "team-n", MEMBER, member_id)
    created = client.post(
        "/api/admin/projects/team-n/features", headers=member, json={"name": "own-flag"}
    )
    assert created.status_code == 201, created.text
    strategy = client.post(
        "/api/admin/projects/team-n/features/own-flag/environments/development/strategies",
        headers=member,
        json={"name": "default"},
    ).json()
    segment_id = client.post("/api/admin/segments", headers=ADMIN, json=segment("s8")).json()["id"]
    body = {
        "projectId": "team-n",
        "environmentId": "development",
        "strategyId": strategy["id"],
        "segmentIds": [segment_id],
    }
    response = client.post("/api/admin/segments/strategies", headers=member, json=body)
    assert (response.status_code, response.json()) == (201, body)
    assert _segments_of(client, strategy["id"]) == [segment_id]
    latest = client.get("/api/admin/events", headers=ADMIN).json()["events"][0]
    # Unleash 8.2 writes no event here; leash writes the one a PUT of the strategy writes.
    public = {
        "id": strategy["id"],
        "name": "default",
        "title": None,
        "disabled": False,
        "constraints": [],
        "parameters": {},
        "variants": [],
        "sortOrder": 0,
    }
    assert {
        k: latest[k]
        for k in ("type", "createdBy", "project", "environment", "featureName", "data", "preData")
    } == {
        "type": "feature-strategy-update",
        "createdBy": "member8",
        "project": "team-n",
        "environment": "development",
        "featureName": "own-flag",
        "data": {**public, "segments": [segment_id]},
        "preData": {**public, "segments": []},
    }


def test_project_owner__segment_made_global_or_moved_away__403_unchanged(
    client: TestClient, settings: Settings
) -> None:
    add_project(settings, "team-o")
    owner_id, owner = user_pat(client, "owner9", VIEWER)
    _project_role(client, "team-o", OWNER, owner_id)
    own = client.post("/api/admin/segments", headers=owner, json=segment("mine", "team-o"))
    assert own.status_code == 201, own.text
    own_id = own.json()["id"]
    for body in (segment("mine"), {**segment("mine"), "project": None}, segment("mine", "default")):
        response = client.put(f"/api/admin/segments/{own_id}", headers=owner, json=body)
        assert response.status_code == 403, body
        assert response.json()["permissions"] == ["UPDATE_SEGMENT", "UPDATE_PROJECT_SEGMENT"]
    stored = client.get(f"/api/admin/segments/{own_id}", headers=ADMIN).json()
    assert stored["project"] == "team-o"
    # Staying in the project is still the owner's to change.
    kept = client.put(
        f"/api/admin/segments/{own_id}", headers=owner, json=segment("mine-2", "team-o")
    )
    assert kept.status_code == 204


def test_project_owner__segment_moved_to_other_owned_project__204(
    client: TestClient, settings: Settings
) -> None:
    add_project(settings, "team-p")
    add_project(settings, "team-q")
    owner_id, owner = user_pat(client, "owner10", VIEWER)
    _project_role(client, "team-p", OWNER, owner_id)
    _project_role(client, "team-q", OWNER, owner_id)
    own_id = client.post(
        "/api/admin/segments", headers=owner, json=segment("movable", "team-p")
    ).json()["id"]
    moved = client.put(
        f"/api/admin/segments/{own_id}", headers=owner, json=segment("movable", "team-q")
    )
    assert moved.status_code == 204
    assert client.get(f"/api/admin/segments/{own_id}", headers=ADMIN).json()["project"] == "team-q"


def test_editor__project_segment_made_global__204(client: TestClient, settings: Settings) -> None:
    add_project(settings, "team-r")
    _, editor = user_pat(client, "editor11", EDITOR)
    own_id = client.post(
        "/api/admin/segments", headers=ADMIN, json=segment("to-global", "team-r")
    ).json()["id"]
    response = client.put(f"/api/admin/segments/{own_id}", headers=editor, json=segment("g"))
    assert response.status_code == 204
    assert "project" not in client.get(f"/api/admin/segments/{own_id}", headers=ADMIN).json()


def test_project_access__viewer_and_member__403_owner_200(
    client: TestClient, settings: Settings
) -> None:
    add_project(settings, "team-s")
    owner_id, owner = user_pat(client, "owner12", VIEWER)
    member_id, member = user_pat(client, "member12", VIEWER)
    _, viewer = user_pat(client, "viewer12", VIEWER)
    _project_role(client, "team-s", OWNER, owner_id)
    _project_role(client, "team-s", MEMBER, member_id)
    # UPDATE_PROJECT lets its holders manage project access (Unleash's permission structure).
    message = (
        "You don't have the required permissions to perform this operation. To perform this "
        'action, you need one of the following permissions: "UPDATE_PROJECT", '
        '"PROJECT_USER_ACCESS_READ".'
    )
    for headers in (viewer, member):
        response = client.get("/api/admin/projects/team-s/access", headers=headers)
        assert response.status_code == 403
        body = response.json()
        assert isinstance(body.pop("id"), str)
        assert body == {
            "name": "PermissionError",
            "message": message,
            "details": [{"message": message}],
            "permissions": ["UPDATE_PROJECT", "PROJECT_USER_ACCESS_READ"],
        }
    listed = client.get("/api/admin/projects/team-s/access", headers=owner)
    assert listed.status_code == 200
    assert [(u["id"], u["roleId"]) for u in listed.json()["users"]] == [
        (owner_id, OWNER),
        (member_id, MEMBER),
    ]
    # An owner of one project reads no other project's members.
    assert client.get("/api/admin/projects/default/access", headers=owner).status_code == 403
