"""Password login and logout, /api/admin/user-admin, personal access tokens, and what the
database keeps of secrets. Expected bodies were recorded from the reference Unleash 7.5.1."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, select, text, update

from leash.config import Settings
from leash.db import create_db_engine
from leash.users.models import personal_access_tokens
from support import ADMIN

PASSWORD = "Very-Secret-Pass-123!"
MISMATCH = (
    "The combination of password and username you provided is invalid. If you have forgotten "
    "your password, visit /forgotten-password or get in touch with your instance administrator."
)


def create_user(client: TestClient, username: str, role: int, **extra: Any) -> dict[str, Any]:
    body = {"username": username, "rootRole": role, "password": PASSWORD, "sendEmail": False}
    body.update(extra)
    response = client.post("/api/admin/user-admin", headers=ADMIN, json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def login(client: TestClient, username: str, password: str = PASSWORD) -> Any:
    return client.post("/auth/simple/login", json={"username": username, "password": password})


def test_login__default_admin__200_user_and_httponly_session_cookie(client: TestClient) -> None:
    response = login(client, "admin", "unleash4all")
    assert response.status_code == 200, response.text
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("unleash-session=")
    assert "; Path=/;" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert response.headers["ratelimit-limit"] == "10"
    body = response.json()
    assert body["username"] == "admin"
    assert body["id"] == 1
    assert body["accountType"] == "User"
    assert "rootRole" not in body
    me = client.get("/api/admin/user")
    assert me.status_code == 200
    assert me.json()["permissions"] == [{"permission": "ADMIN"}]
    assert client.get("/api/admin/segments").status_code == 200


def test_login__wrong_password_or_unknown_user__401_password_mismatch(client: TestClient) -> None:
    expected = {"name": "PasswordMismatch", "message": MISMATCH, "details": [{"message": MISMATCH}]}
    wrong = login(client, "admin", "not-the-password")
    unknown = login(client, "nobody-here", "whatever")
    assert (wrong.status_code, wrong.json()) == (401, expected)
    assert (unknown.status_code, unknown.json()) == (401, expected)
    assert "set-cookie" not in wrong.headers


def test_login__missing_password__400(client: TestClient) -> None:
    response = client.post("/auth/simple/login", json={"username": "admin"})
    assert response.status_code == 400
    assert response.json()["details"] == [
        {
            "path": "/body/password",
            "message": "The `/body/password` property is required. "
            "It was not present on the data you sent.",
        }
    ]


def test_login__eleventh_attempt_in_a_minute__429(client: TestClient) -> None:
    for _ in range(10):
        assert login(client, "admin", "wrong").status_code == 401
    limited = login(client, "admin", "unleash4all")
    assert limited.status_code == 429
    assert limited.text == "Too many requests, please try again later."
    assert limited.headers["ratelimit-remaining"] == "0"
    # Another username from the same address is counted apart.
    assert login(client, "someone-else", "wrong").status_code == 401


def test_logout__session_ends__302_and_cookie_cleared(client: TestClient) -> None:
    assert login(client, "admin", "unleash4all").status_code == 200
    response = client.post("/logout", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == "/"
    assert response.headers["set-cookie"].startswith("unleash-session=;")
    client.cookies.clear()
    assert client.get("/api/admin/segments").json()["name"] == "AuthenticationRequired"


def test_logout__old_cookie_no_longer_works(client: TestClient) -> None:
    login(client, "admin", "unleash4all")
    sid = client.cookies.get("unleash-session")
    client.post("/logout", follow_redirects=False)
    client.cookies.set("unleash-session", sid or "")
    assert client.get("/api/admin/segments").status_code == 401


def test_user_admin__create_get_update_list_delete(client: TestClient) -> None:
    created = create_user(client, "ed1", 2)
    assert created.pop("createdAt").endswith("Z")
    assert created.pop("imageUrl").startswith("https://gravatar.com/avatar/")
    assert created.pop("inviteLink").startswith("http://localhost:4242/new-user?token=")
    assert created == {
        "accountType": "User",
        "id": 2,
        "username": "ed1",
        "seenAt": None,
        "loginAttempts": 0,
        "scimId": None,
        "seatType": None,
        "companyRole": None,
        "productUpdatesEmailConsent": None,
        "rootRole": 2,
        "emailSent": False,
    }
    updated = client.put(
        "/api/admin/user-admin/2",
        headers=ADMIN,
        json={"name": "Ed", "email": "ed@example.com", "rootRole": 3},
    )
    assert updated.status_code == 200
    assert {k: updated.json()[k] for k in ("name", "email", "rootRole")} == {
        "name": "Ed",
        "email": "ed@example.com",
        "rootRole": 3,
    }
    assert client.get("/api/admin/user-admin/2", headers=ADMIN).json()["name"] == "Ed"
    listed = client.get("/api/admin/user-admin", headers=ADMIN).json()
    assert [u["username"] for u in listed["users"]] == ["admin", "ed1"]
    assert [(r["id"], r["name"], r["type"]) for r in listed["rootRoles"]] == [
        (1, "Admin", "root"),
        (2, "Editor", "root"),
        (3, "Viewer", "root"),
    ]
    assert client.delete("/api/admin/user-admin/2", headers=ADMIN).status_code == 200
    missing = client.get("/api/admin/user-admin/2", headers=ADMIN)
    assert missing.status_code == 404
    assert missing.json() == {
        "name": "NotFoundError",
        "message": "No user found",
        "details": [{"message": "No user found"}],
    }


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"rootRole": 2, "sendEmail": False}, "You must specify username or email"),
        ({"username": "x1", "rootRole": 9, "sendEmail": False}, "Could not find rootRole=9"),
        ({"username": "admin", "rootRole": 2, "sendEmail": False}, "User already exists"),
    ],
)
def test_user_admin__create_invalid__400(
    client: TestClient, body: dict[str, Any], message: str
) -> None:
    response = client.post("/api/admin/user-admin", headers=ADMIN, json=body)
    assert response.status_code == 400
    assert response.json() == {
        "name": "BadDataError",
        "message": "Request validation failed: your request body or params contain invalid "
        f"data: {message}",
        "details": [{"message": message}],
    }


def test_user_admin__weak_password__400_owasp(client: TestClient) -> None:
    create_user(client, "weak1", 3)
    response = client.post(
        "/api/admin/user-admin/2/change-password", headers=ADMIN, json={"password": "short"}
    )
    assert response.status_code == 400
    errors = [
        "The password must be at least 10 characters long.",
        "The password must contain at least one uppercase letter.",
        "The password must contain at least one number.",
        "The password must contain at least one special character.",
    ]
    assert response.json() == {
        "name": "OwaspValidationError",
        "message": errors[0],
        "details": [{"validationErrors": errors, "message": errors[0]}],
    }


def test_user_admin__change_password__new_one_logs_in(client: TestClient) -> None:
    create_user(client, "pw1", 3)
    new = "Another-Secret-Pass-456!"
    response = client.post(
        "/api/admin/user-admin/2/change-password", headers=ADMIN, json={"password": new}
    )
    assert response.status_code == 200
    assert login(client, "pw1").status_code == 401
    assert login(client, "pw1", new).status_code == 200


def test_user_admin__editor__403_admin_permission(client: TestClient) -> None:
    create_user(client, "ed2", 2)
    login(client, "ed2")
    response = client.get("/api/admin/user-admin")
    assert response.status_code == 403
    body = response.json()
    assert body["name"] == "PermissionError"
    assert body["permissions"] == ["ADMIN"]


def _pat(client: TestClient, **body: Any) -> Any:
    payload = {"description": "mine", "expiresAt": "2099-01-01T00:00:00.000Z"}
    payload.update(body)
    return client.post("/api/admin/user/tokens", json=payload)


def test_pat__create_list_use_delete(client: TestClient) -> None:
    create_user(client, "pat1", 2)
    login(client, "pat1")
    created = _pat(client)
    assert created.status_code == 201, created.text
    body = created.json()
    secret = body.pop("secret")
    assert secret.startswith("user:") and len(secret) == 5 + 56
    assert body.pop("createdAt").endswith("Z")
    assert body == {
        "id": 1,
        "description": "mine",
        "expiresAt": "2099-01-01T00:00:00.000Z",
        "userId": 2,
        "seenAt": None,
    }
    listed = client.get("/api/admin/user/tokens").json()["pats"]
    assert [p["id"] for p in listed] == [1] and "secret" not in listed[0]
    client.cookies.clear()
    me = client.get("/api/admin/user", headers={"Authorization": secret})
    assert me.status_code == 200
    assert me.json()["user"]["username"] == "pat1"
    deleted = client.delete("/api/admin/user/tokens/1", headers={"Authorization": secret})
    assert deleted.status_code == 200
    gone = client.get("/api/admin/segments", headers={"Authorization": secret})
    assert gone.status_code == 401
    assert gone.json()["name"] == "UnauthorizedError"


def test_pat__expired__401(client: TestClient, settings: Settings) -> None:
    create_user(client, "pat2", 2)
    login(client, "pat2")
    secret = _pat(client).json()["secret"]
    client.cookies.clear()
    assert client.get("/api/admin/segments", headers={"Authorization": secret}).status_code == 200
    engine = create_db_engine(settings.database_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                update(personal_access_tokens).values(
                    expires_at=personal_access_tokens.c.created_at
                )
            )
    finally:
        engine.dispose()
    assert client.get("/api/admin/segments", headers={"Authorization": secret}).status_code == 401


def test_pat__expiry_in_the_past__400(client: TestClient) -> None:
    create_user(client, "pat3", 3)
    login(client, "pat3")
    response = _pat(client, expiresAt="2001-01-01T00:00:00.000Z")
    assert response.status_code == 400
    assert response.json()["details"] == [{"message": "The expiry date should be in future."}]


def test_pat__not_mine__404(client: TestClient) -> None:
    create_user(client, "pat4", 3)
    login(client, "pat4")
    response = client.delete("/api/admin/user/tokens/99")
    assert response.status_code == 404
    assert response.json()["message"] == "No PAT found."


def test_database__no_secret_or_password_in_clear(client: TestClient, settings: Settings) -> None:
    create_user(client, "scan1", 2)
    login(client, "scan1")
    pat = _pat(client).json()["secret"]
    sid = client.cookies.get("unleash-session")
    token = client.post(
        "/api/admin/api-tokens",
        headers=ADMIN,
        json={"tokenName": "scan", "type": "client", "environment": "development"},
    ).json()["secret"]
    engine = create_db_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            dump: list[str] = []
            for table in inspect(conn).get_table_names():
                for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                    dump.extend(str(value) for value in row)
            hashes = conn.execute(select(text("password_hash")).select_from(text("users"))).all()
    finally:
        engine.dispose()
    stored = "\n".join(dump)
    assert sid
    for secret in (PASSWORD, "unleash4all", pat, pat[5:], token, token.split(".", 1)[1], sid):
        assert secret not in stored
    assert all(str(h[0]).startswith("$argon2id$") for h in hashes)


def test_settings__production_with_well_known_admin_password__refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NODE_ENV", "production")
    with pytest.raises(ValueError, match="UNLEASH_DEFAULT_ADMIN_PASSWORD"):
        Settings()
    monkeypatch.setenv("UNLEASH_DEFAULT_ADMIN_PASSWORD", "A-Password-Of-Our-Own-1")
    assert Settings().leash_env == "production"


def test_bootstrap__configured_admin__created_once(settings: Settings) -> None:
    from leash.app import create_app

    own = settings.model_copy(
        update={
            "unleash_default_admin_username": "root",
            "unleash_default_admin_password": "A-Password-Of-Our-Own-1",
        }
    )
    with TestClient(create_app(own)) as first:
        assert login(first, "root", "A-Password-Of-Our-Own-1").status_code == 200
    with TestClient(create_app(own)) as second:
        users = second.get("/api/admin/user-admin", headers=ADMIN).json()["users"]
    assert [u["username"] for u in users] == ["root"]
