"""Password reset links (/auth/reset): validateToken, changePassword, validatePassword,
sendResetPasswordEmail. Expected bodies were recorded from the reference Unleash 8.2.0
(fixtures/reset_8_2.json)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from accountkit import NEW_PASSWORD, PASSWORD, answer, create_bob, log_in
from leash.db.base import utcnow
from leash.events.models import events
from leash.users.models import reset_tokens
from support import ADMIN

RECORDED: dict[str, Any] = json.loads(
    (Path(__file__).parent / "fixtures" / "reset_8_2.json").read_text()
)
RESET = "/auth/reset"


def recorded(name: str, **changes: Any) -> tuple[int, Any]:
    status, body = RECORDED[name]["status"], RECORDED[name]["body"]
    return status, {**body, **changes} if changes else body


def reset_token(client: TestClient, email: str = "h7-bob@example.com") -> str:
    response = client.post(
        "/api/admin/user-admin/reset-password", headers=ADMIN, json={"id": email}
    )
    assert response.status_code == 200, response.text
    url: str = response.json()["resetPasswordUrl"]
    return url.split("token=", 1)[1]


def test_validate_token__valid__the_user_and_who_made_the_link(client: TestClient) -> None:
    user_id = create_bob(client)
    token = reset_token(client)
    status, body = answer(client.get(RESET + "/validate", params={"token": token}))
    assert body["token"] == token
    assert (status, {**body, "token": "<token>"}) == recorded("validate_token", id=user_id)


def test_validate_token__unknown_or_missing__401(client: TestClient) -> None:
    bogus = client.get(RESET + "/validate", params={"token": "bogus"})
    missing = client.get(RESET + "/validate")
    too_long = client.get(RESET + "/validate", params={"token": "x" * 5000})
    assert answer(bogus) == recorded("validate_token_bogus")
    assert answer(missing) == recorded("validate_token_missing")
    assert answer(too_long) == recorded("validate_token_bogus")


def test_validate_token__expired__401(client: TestClient) -> None:
    create_bob(client)
    token = reset_token(client)
    with client.app.state.db.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(update(reset_tokens).values(expires_at=utcnow() - timedelta(seconds=1)))
    response = client.get(RESET + "/validate", params={"token": token})
    assert answer(response) == recorded("validate_token_bogus")


def test_validate_token__ends_the_callers_session(client: TestClient) -> None:
    create_bob(client)
    token = reset_token(client)
    log_in(client)
    assert client.get(RESET + "/validate", params={"token": token}).status_code == 200
    assert client.get("/api/admin/user/profile").status_code == 401


def test_change_password__weak_before_token_checked__400(client: TestClient) -> None:
    response = client.post(RESET + "/password", json={"token": "bogus", "password": "weak"})
    assert answer(response) == recorded("reset_password_weak")


def test_change_password__unknown_token__401(client: TestClient) -> None:
    response = client.post(
        RESET + "/password", json={"token": "bogus", "password": "H7-Bob-pass-44"}
    )
    assert answer(response) == recorded("reset_password_bogus")


def test_change_password__missing_token__400(client: TestClient) -> None:
    response = client.post(RESET + "/password", json={"password": "H7-Bob-pass-44"})
    assert answer(response) == recorded("reset_password_missing_token")


def test_change_password__a_remembered_password__400(client: TestClient) -> None:
    create_bob(client)
    token = reset_token(client)
    response = client.post(RESET + "/password", json={"token": token, "password": PASSWORD})
    assert answer(response) == recorded("reset_password_reused")
    # The link is still good after a refused password.
    assert client.get(RESET + "/validate", params={"token": token}).status_code == 200


def test_change_password__ok__once_then_401_and_sessions_ended(client: TestClient) -> None:
    create_bob(client)
    log_in(client)
    other = TestClient(client.app)
    assert (
        other.post(
            "/auth/simple/login", json={"username": "h7-bob", "password": PASSWORD}
        ).status_code
        == 200
    )
    token = reset_token(client)
    ok = client.post(RESET + "/password", json={"token": token, "password": NEW_PASSWORD})
    again = client.post(RESET + "/password", json={"token": token, "password": "H7-Bob-pass-55"})
    assert answer(ok) == recorded("reset_password_ok")
    assert answer(again) == recorded("reset_password_again")
    used = client.get(RESET + "/validate", params={"token": token})
    assert answer(used) == recorded("validate_token_used")
    assert answer(other.get("/api/admin/user/profile")) == recorded("session_after_reset")
    log_in(client, NEW_PASSWORD)
    with client.app.state.db.connect() as conn:  # type: ignore[attr-defined]
        # No event, as in Unleash.
        assert conn.execute(select(events.c.type).order_by(events.c.id.desc())).first() == (
            "user-created",
        )


def test_change_password__new_link_replaces_the_old_one(client: TestClient) -> None:
    create_bob(client)
    first = reset_token(client)
    with client.app.state.db.begin() as conn:  # type: ignore[attr-defined]
        # Past the one-a-minute limit.
        conn.execute(update(reset_tokens).values(created_at=utcnow() - timedelta(minutes=2)))
    second = reset_token(client)
    assert client.get(RESET + "/validate", params={"token": first}).status_code == 401
    assert client.get(RESET + "/validate", params={"token": second}).status_code == 200


def test_change_password__admin_sets_password__link_ends(client: TestClient) -> None:
    user_id = create_bob(client)
    token = reset_token(client)
    changed = client.post(
        f"/api/admin/user-admin/{user_id}/change-password",
        headers=ADMIN,
        json={"password": NEW_PASSWORD},
    )
    assert changed.status_code == 200, changed.text
    assert client.get(RESET + "/validate", params={"token": token}).status_code == 401


def test_validate_password__weak_empty_ok_extra(client: TestClient) -> None:
    weak = client.post(RESET + "/validate-password", json={"password": "weak"})
    empty = client.post(RESET + "/validate-password", json={"password": ""})
    ok = client.post(RESET + "/validate-password", json={"password": "H7-Bob-pass-44"})
    extra = client.post(RESET + "/validate-password", json={"password": "H7-Bob-pass-44", "x": 1})
    assert answer(weak) == recorded("validate_password_weak")
    assert answer(empty) == recorded("validate_password_empty")
    assert answer(ok) == recorded("validate_password_ok")
    assert answer(extra) == recorded("validate_password_extra")


def test_send_reset_password_email__known__200_link_made_none_shown(client: TestClient) -> None:
    user_id = create_bob(client)
    response = client.post(RESET + "/password-email", json={"email": "h7-bob@example.com"})
    assert (response.status_code, response.content) == (200, b"")
    assert response.headers["ratelimit-limit"] == "1"
    with client.app.state.db.connect() as conn:  # type: ignore[attr-defined]
        rows = conn.execute(
            select(reset_tokens.c.user_id, reset_tokens.c.created_by).where(
                reset_tokens.c.purpose == "reset"
            )
        ).all()
    assert [tuple(row) for row in rows] == [(user_id, "unleash_system_user")]


def test_send_reset_password_email__unknown__404(client: TestClient) -> None:
    response = client.post(RESET + "/password-email", json={"email": "h7-nobody@example.com"})
    assert answer(response) == (
        404,
        {
            "name": "NotFoundError",
            "message": "No user found",
            "details": [{"message": "No user found"}],
        },
    )


def test_send_reset_password_email__second_in_a_minute__429_page(client: TestClient) -> None:
    create_bob(client)
    client.post(RESET + "/password-email", json={"email": "h7-nobody@example.com"})
    limited = client.post(RESET + "/password-email", json={"email": "h7-bob@example.com"})
    assert limited.status_code == 429
    assert limited.text == "Too many requests, please try again later."
    assert limited.headers["retry-after"] == "60"
    with client.app.state.db.connect() as conn:  # type: ignore[attr-defined]
        resets = select(func.count()).where(reset_tokens.c.purpose == "reset")
        assert conn.execute(resets).scalar_one() == 0


def test_create_user__invite_link__sets_the_first_password_once(client: TestClient) -> None:
    body = {"username": "h7-bob", "email": "h7-bob@example.com", "rootRole": 2, "sendEmail": False}
    created = client.post("/api/admin/user-admin", headers=ADMIN, json=body)
    assert created.status_code == 201, created.text
    link: str = created.json()["inviteLink"]
    prefix = "http://localhost:4242/new-user?token="
    assert link.startswith(prefix)
    token = link.removeprefix(prefix)
    status, validated = answer(client.get(RESET + "/validate", params={"token": token}))
    assert (status, validated["id"], validated["createdBy"]) == (200, created.json()["id"], "admin")
    ok = client.post(RESET + "/password", json={"token": token, "password": NEW_PASSWORD})
    assert answer(ok) == recorded("reset_password_ok")
    log_in(client, NEW_PASSWORD)
    again = client.post(RESET + "/password", json={"token": token, "password": "H7-Bob-pass-55"})
    assert answer(again) == recorded("reset_password_again")
    listed = client.get("/api/admin/user-admin", headers=ADMIN).json()["users"]
    assert [u["inviteLink"] for u in listed if u["username"] == "h7-bob"] == [""]
