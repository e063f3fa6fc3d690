"""The context API's rules beyond the recorded scenario: who may change fields (root
permissions, a project Owner's UPDATE_PROJECT_CONTEXT), what leash refuses that Unleash would
fail on (unknown projects, out-of-range numbers), and the legal values constraints are checked
against."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from support import ADMIN, BAD_DATA_LIST, add_project

PASSWORD = "Very-Secret-Pass-123!"
VIEWER, EDITOR, OWNER = 3, 2, 4
ROOT = "/api/admin/context"


def _permission_error(*permissions: str) -> dict[str, Any]:
    if len(permissions) == 1:
        message = (
            "You don't have the required permissions to perform this operation. To perform "
            f'this action, you need the "{permissions[0]}" permission.'
        )
    else:
        listed = ", ".join(f'"{p}"' for p in permissions)
        message = (
            "You don't have the required permissions to perform this operation. To perform "
            f"this action, you need one of the following permissions: {listed}."
        )
    return {
        "name": "PermissionError",
        "message": message,
        "details": [{"message": message}],
        "permissions": list(permissions),
    }


def _user_pat(client: TestClient, username: str, root_role: int) -> tuple[int, dict[str, str]]:
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


def _owner_of(client: TestClient, project: str, username: str) -> dict[str, str]:
    user_id, headers = _user_pat(client, username, VIEWER)
    assigned = client.post(
        f"/api/admin/projects/{project}/role/{OWNER}/access",
        headers=ADMIN,
        json={"users": [{"id": user_id}], "groups": []},
    )
    assert assigned.status_code == 200, assigned.text
    return headers


def _denied(response: Any, *permissions: str) -> None:
    assert response.status_code == 403
    body = response.json()
    assert isinstance(body.pop("id"), str)
    assert body == _permission_error(*permissions)


def test_context_writes__viewer__403_and_nothing_changes(client: TestClient) -> None:
    _, viewer = _user_pat(client, "ctx-viewer", VIEWER)
    assert client.post(ROOT, headers=ADMIN, json={"name": "tier"}).status_code == 201

    _denied(client.post(ROOT, headers=viewer, json={"name": "x"}), "CREATE_CONTEXT_FIELD")
    _denied(client.put(f"{ROOT}/tier", headers=viewer, json={}), "UPDATE_CONTEXT_FIELD")
    _denied(
        client.post(f"{ROOT}/tier/legal-values", headers=viewer, json={"value": "a"}),
        "UPDATE_CONTEXT_FIELD",
    )
    _denied(client.delete(f"{ROOT}/tier/legal-values/a", headers=viewer), "UPDATE_CONTEXT_FIELD")
    _denied(
        client.post(f"{ROOT}/validate", headers=viewer, json={"name": "y"}), "UPDATE_CONTEXT_FIELD"
    )
    _denied(client.delete(f"{ROOT}/tier", headers=viewer), "DELETE_CONTEXT_FIELD")
    # Reading needs no permission.
    assert client.get(ROOT, headers=viewer).status_code == 200
    assert client.get(f"{ROOT}/tier", headers=viewer).json()["legalValues"] == []
    assert client.get(f"{ROOT}/tier/strategies", headers=viewer).status_code == 200
    assert client.get(f"{ROOT}/x", headers=ADMIN).status_code == 404


def test_context_writes__editor__allowed(client: TestClient) -> None:
    _, editor = _user_pat(client, "ctx-editor", EDITOR)

    assert client.post(ROOT, headers=editor, json={"name": "tier"}).status_code == 201
    assert client.put(f"{ROOT}/tier", headers=editor, json={"stickiness": True}).status_code == 200
    assert client.delete(f"{ROOT}/tier", headers=editor).status_code == 200


def test_project_context__owner__writes_its_project_fields_only(client: TestClient) -> None:
    add_project(client.app.state.db, "team-c")  # type: ignore[attr-defined]
    add_project(client.app.state.db, "team-d")  # type: ignore[attr-defined]
    owner = _owner_of(client, "team-c", "ctx-owner")
    in_c = "/api/admin/projects/team-c/context"
    in_d = "/api/admin/projects/team-d/context"

    created = client.post(in_c, headers=owner, json={"name": "region"})
    assert created.status_code == 201
    assert created.json()["project"] == "team-c"
    assert client.put(f"{in_c}/region", headers=owner, json={"stickiness": True}).status_code == 200
    legal = client.post(f"{in_c}/region/legal-values", headers=owner, json={"value": "eu"})
    assert legal.status_code == 200
    assert client.post(f"{in_c}/validate", headers=owner, json={"name": "free"}).status_code == 200

    # Not the root API, not another project, not moving the field to a project it does not own.
    _denied(client.post(ROOT, headers=owner, json={"name": "x"}), "CREATE_CONTEXT_FIELD")
    _denied(client.put(f"{ROOT}/region", headers=owner, json={}), "UPDATE_CONTEXT_FIELD")
    _denied(
        client.post(in_d, headers=owner, json={"name": "x"}),
        "CREATE_CONTEXT_FIELD",
        "UPDATE_PROJECT_CONTEXT",
    )
    _denied(
        client.put(f"{in_c}/region", headers=owner, json={"project": "team-d"}),
        "UPDATE_CONTEXT_FIELD",
        "UPDATE_PROJECT_CONTEXT",
    )
    stored = client.get(f"{ROOT}/region", headers=ADMIN).json()
    assert isinstance(stored.pop("createdAt"), str)
    assert stored == {
        "name": "region",
        "description": None,
        "stickiness": True,
        "sortOrder": 0,
        "legalValues": [{"value": "eu"}],
        "project": "team-c",
    }
    assert client.delete(f"{in_c}/region", headers=owner).status_code == 200


def test_project_context__field_of_another_project__404(client: TestClient) -> None:
    add_project(client.app.state.db, "team-e")  # type: ignore[attr-defined]
    in_e = "/api/admin/projects/team-e/context"
    assert client.post(in_e, headers=ADMIN, json={"name": "e-field"}).status_code == 201

    response = client.delete("/api/admin/projects/default/context/e-field", headers=ADMIN)

    assert response.status_code == 404
    message = "Could not find context field e-field in project default"
    assert response.json() == {
        "name": "NotFoundError",
        "message": message,
        "details": [{"message": message}],
    }
    assert [f["name"] for f in client.get(in_e, headers=ADMIN).json()] == ["e-field"]
    assert client.get("/api/admin/projects/default/context", headers=ADMIN).json() == []


def test_create_context_field__unknown_project__404_not_500(client: TestClient) -> None:
    message = 'Could not find project with id "nowhere"'
    expected = {"name": "NotFoundError", "message": message, "details": [{"message": message}]}

    through_root = client.post(ROOT, headers=ADMIN, json={"name": "a", "project": "nowhere"})
    through_project = client.post(
        "/api/admin/projects/nowhere/context", headers=ADMIN, json={"name": "a"}
    )
    moved = client.post(ROOT, headers=ADMIN, json={"name": "b"})
    move = client.put(f"{ROOT}/b", headers=ADMIN, json={"project": "p" * 300})

    assert (through_root.status_code, through_root.json()) == (404, expected)
    assert (through_project.status_code, through_project.json()) == (404, expected)
    assert moved.status_code == 201
    assert move.status_code == 404
    assert client.get(f"{ROOT}/a", headers=ADMIN).status_code == 404
    assert "project" not in client.get(f"{ROOT}/b", headers=ADMIN).json()


def test_create_context_field__sort_order_outside_int32__400(client: TestClient) -> None:
    response = client.post(ROOT, headers=ADMIN, json={"name": "big", "sortOrder": 2**31})

    assert response.status_code == 400
    body = response.json()
    assert isinstance(body.pop("id"), str)
    assert body == {
        "name": "BadDataError",
        "message": BAD_DATA_LIST,
        "details": [
            {
                "message": "The `/body/sortOrder` property must be <= 2147483647. "
                "You sent 2147483648.",
                "path": "/body/sortOrder",
            }
        ],
    }


def _constraint(context: str, value: str) -> dict[str, Any]:
    return {"contextName": context, "operator": "IN", "values": [value]}


def test_validate_constraint__field_with_legal_values__other_values_400(
    client: TestClient,
) -> None:
    body = {"name": "tier", "legalValues": [{"value": "gold", "description": "Gold"}]}
    assert client.post(ROOT, headers=ADMIN, json=body).status_code == 201
    validate = "/api/admin/constraints/validate"

    legal = client.post(validate, headers=ADMIN, json=_constraint("tier", "gold"))
    illegal = client.post(validate, headers=ADMIN, json=_constraint("tier", "silver"))
    client.post(f"{ROOT}/tier/legal-values", headers=ADMIN, json={"value": "silver"})
    added = client.post(validate, headers=ADMIN, json=_constraint("tier", "silver"))
    client.delete(f"{ROOT}/tier/legal-values/gold", headers=ADMIN)
    removed = client.post(validate, headers=ADMIN, json=_constraint("tier", "gold"))

    assert legal.status_code == 204
    assert illegal.status_code == 400
    assert added.status_code == 204
    assert removed.status_code == 400


def test_segment_constraint__project_field_legal_values__checked(client: TestClient) -> None:
    in_default = "/api/admin/projects/default/context"
    body = {"name": "plan", "legalValues": [{"value": "pro"}]}
    assert client.post(in_default, headers=ADMIN, json=body).status_code == 201
    segment = {"name": "s", "constraints": [_constraint("plan", "free")]}

    refused = client.post("/api/admin/segments", headers=ADMIN, json=segment)
    segment["constraints"] = [_constraint("plan", "pro")]
    accepted = client.post("/api/admin/segments", headers=ADMIN, json=segment)

    assert refused.status_code == 400
    assert accepted.status_code == 201


def test_delete_context_field__used_by_a_segment_only__200(client: TestClient) -> None:
    assert client.post(ROOT, headers=ADMIN, json={"name": "seg-only"}).status_code == 201
    segment = {"name": "s2", "constraints": [_constraint("seg-only", "x")]}
    assert client.post("/api/admin/segments", headers=ADMIN, json=segment).status_code == 201

    # Unleash counts strategies' own constraints only.
    assert client.get(f"{ROOT}/seg-only/strategies", headers=ADMIN).json() == {"strategies": []}
    assert client.delete(f"{ROOT}/seg-only", headers=ADMIN).status_code == 200
