"""Ids and bodies of the user, personal-access-token, login and project-access routes that
once answered 500: ids beyond what a 32-bit column holds, expiry dates beyond what leash can
store, JSON nested deeper than Python's recursion. Each is now a 4xx in Unleash's error body
and changes nothing. (Unleash 8.2 itself answers 500 to the ids; its 400s for the same bodies
are the messages asserted here.)"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from support import ADMIN, BAD_DATA_LIST

PASSWORD = "Very-Secret-Pass-123!"
JSON = {**ADMIN, "Content-Type": "application/json"}
NO_USER = {
    "name": "NotFoundError",
    "message": "No user found",
    "details": [{"message": "No user found"}],
}
STORABLE = (
    "must be a date-time from 0001-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z "
    "(the dates leash can store)"
)


def _bad_data(body: dict[str, Any], *details: dict[str, str]) -> None:
    assert isinstance(body.pop("id"), str)
    assert body == {"name": "BadDataError", "message": BAD_DATA_LIST, "details": list(details)}


def _users(client: TestClient) -> list[Any]:
    users: list[Any] = client.get("/api/admin/user-admin", headers=ADMIN).json()["users"]
    return users


def _logged_in_editor(client: TestClient) -> int:
    created = client.post(
        "/api/admin/user-admin",
        headers=ADMIN,
        json={"username": "ed", "rootRole": 2, "password": PASSWORD, "sendEmail": False},
    ).json()
    login = client.post("/auth/simple/login", json={"username": "ed", "password": PASSWORD})
    assert login.status_code == 200
    return int(created["id"])


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/admin/user-admin/1e20", None),
        ("PUT", "/api/admin/user-admin/1e20", {"name": "x"}),
        ("DELETE", "/api/admin/user-admin/1e20", None),
        ("POST", "/api/admin/user-admin/1e20/change-password", {"password": PASSWORD}),
        ("DELETE", "/api/admin/projects/default/users/1e20/roles/4", None),
    ],
)
def test_user_routes__id_beyond_32_bits__404_no_user(
    client: TestClient, method: str, path: str, body: Any
) -> None:
    before = _users(client)
    response = client.request(method, path, json=body, headers=ADMIN)
    assert (response.status_code, response.json()) == (404, NO_USER)
    assert _users(client) == before


def test_delete_pat__id_beyond_32_bits__404(client: TestClient) -> None:
    _logged_in_editor(client)
    client.post(
        "/api/admin/user/tokens", json={"description": "d", "expiresAt": "2099-01-01T00:00:00Z"}
    )
    response = client.delete("/api/admin/user/tokens/1e20")
    message = "No PAT found."
    assert response.status_code == 404
    assert response.json() == {
        "name": "NotFoundError",
        "message": message,
        "details": [{"message": message}],
    }
    assert len(client.get("/api/admin/user/tokens").json()["pats"]) == 1


@pytest.mark.parametrize("expires_at", ["9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00"])
def test_create_pat__expiry_beyond_storable_dates__400_nothing_created(
    client: TestClient, expires_at: str
) -> None:
    _logged_in_editor(client)
    response = client.post(
        "/api/admin/user/tokens", json={"description": "d", "expiresAt": expires_at}
    )
    assert response.status_code == 400
    detail = {
        "message": f'The `/body/expiresAt` property {STORABLE}. You sent "{expires_at}".',
        "path": "/body/expiresAt",
    }
    _bad_data(response.json(), detail)
    assert client.get("/api/admin/user/tokens").json()["pats"] == []


def test_add_project_access__user_id_beyond_32_bits__400_nothing_added(
    client: TestClient,
) -> None:
    response = client.post(
        "/api/admin/projects/default/role/4/access",
        content='{"users": [{"id": 1e20}], "groups": []}',
        headers=JSON,
    )
    assert response.status_code == 400
    detail = {
        "message": "The `/body/users/0/id` property must be <= 2147483647. "
        "You sent 100000000000000000000.",
        "path": "/body/users/0/id",
    }
    _bad_data(response.json(), detail)
    access = client.get("/api/admin/projects/default/access", headers=ADMIN).json()
    assert access["users"] == []


def test_add_project_access__float_user_id__the_integer(client: TestClient) -> None:
    user_id = _logged_in_editor(client)
    client.cookies.clear()
    response = client.post(
        "/api/admin/projects/default/role/4/access",
        content=f'{{"users": [{{"id": {user_id}.0}}], "groups": []}}',
        headers=JSON,
    )
    assert response.status_code == 200
    access = client.get("/api/admin/projects/default/access", headers=ADMIN).json()
    assert [(u["id"], u["roleId"]) for u in access["users"]] == [(user_id, 4)]


def test_login__username_nested_300_deep__400_as_unleash(client: TestClient) -> None:
    nested = "[" * 300 + "]" * 300
    response = client.post(
        "/auth/simple/login",
        content='{"username": ' + nested + ', "password": "x"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    detail = {
        "message": f"The `/body/username` property must be string. You sent {nested}.",
        "path": "/body/username",
    }
    _bad_data(response.json(), detail)


def test_login__free_form_value_nested_300_deep__400_nesting_bound(client: TestClient) -> None:
    nested = "[" * 300 + "]" * 300
    response = client.post(
        "/auth/simple/login",
        content='{"username": "admin", "password": "unleash4all", "x": ' + nested + "}",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    detail = {
        "message": "The request body nests arrays and objects more than 128 levels deep, "
        "which leash does not accept.",
        "path": "/body",
    }
    _bad_data(response.json(), detail)
    assert "set-cookie" not in response.headers


def test_login__invalid_json__400_names_no_account_so_locks_none(client: TestClient) -> None:
    # Failed logins are counted per account (leash.users.lockouts); a body that is not JSON
    # names none, so the eleventh is still a 400, and the real account can still log in.
    for _ in range(11):
        response = client.post(
            "/auth/simple/login", content="{", headers={"Content-Type": "application/json"}
        )
        assert response.status_code == 400
    assert response.json()["details"][0]["message"].startswith(
        "The request body is not valid JSON: "
    )
    login = client.post("/auth/simple/login", json={"username": "admin", "password": "unleash4all"})
    assert login.status_code == 200
