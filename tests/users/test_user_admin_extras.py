"""The smaller user-admin operations: searchUsers, getBaseUsersAndGroups, getAdminCount,
validateUserPassword, resetUserPassword, getInactiveUsers, deleteInactiveUsers. Expected bodies
were recorded from the reference Unleash 8.2.0 (fixtures/accounts_8_2.json)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from accountkit import PASSWORD, answer, create_bob, log_in
from leash.db.base import utcnow
from leash.events.models import events
from leash.users.models import personal_access_tokens, reset_tokens, users
from support import ADMIN

USERS = "/api/admin/user-admin"
RECORDED: dict[str, Any] = json.loads(
    (Path(__file__).parent / "fixtures" / "accounts_8_2.json").read_text()
)


def recorded(name: str) -> tuple[int, Any]:
    return RECORDED[name]["status"], RECORDED[name]["body"]


def with_user_ids(body: Any, user_id: int) -> Any:
    """The recorded users had other ids; a user's own answers carry the id leash gave it."""
    if isinstance(body, list):
        return [{**item, "id": user_id} for item in body]
    return body


def test_search_users__username_prefix_or_name_part__search_shape(client: TestClient) -> None:
    user_id = create_bob(client)
    log_in(client)
    status, body = recorded("search_bob")
    assert answer(client.get(USERS + "/search", params={"q": "h7-b"})) == (
        status,
        with_user_ids(body, user_id),
    )
    status, body = recorded("search_name")
    assert answer(client.get(USERS + "/search", params={"q": "BOB"})) == (
        status,
        with_user_ids(body, user_id),
    )


def test_search_users__one_character_or_none__empty(client: TestClient) -> None:
    create_bob(client)
    log_in(client)
    assert answer(client.get(USERS + "/search", params={"q": "h"})) == recorded("search_one_char")
    assert client.get(USERS + "/search").json() == []


def test_search_users__wildcards_taken_literally(client: TestClient) -> None:
    create_bob(client)
    assert client.get(USERS + "/search", params={"q": "%%"}, headers=ADMIN).json() == []
    assert client.get(USERS + "/search", params={"q": "h_"}, headers=ADMIN).json() == []


def test_get_base_users_and_groups__any_user__ids_names_and_no_groups(client: TestClient) -> None:
    user_id = create_bob(client)
    log_in(client)
    assert client.get(USERS + "/access").json() == {
        "users": [
            {"id": 1, "username": "admin", "accountType": "User"},
            {
                "id": user_id,
                "name": "H7 Bob",
                "username": "h7-bob",
                "email": "h7-bob@example.com",
                "accountType": "User",
            },
        ],
        "groups": [],
    }


def test_get_admin_count__admins_with_and_without_password(client: TestClient) -> None:
    create_bob(client)
    assert answer(client.get(USERS + "/admin-count", headers=ADMIN)) == recorded("admin_count")
    created = client.post(
        USERS, headers=ADMIN, json={"username": "h7-nopass", "rootRole": 1, "sendEmail": False}
    )
    assert created.status_code == 201
    assert client.get(USERS + "/admin-count", headers=ADMIN).json() == {
        "password": 1,
        "noPassword": 1,
        "service": 0,
    }


def test_admin_operations__editor__403(client: TestClient) -> None:
    create_bob(client)
    log_in(client)
    assert answer(client.get(USERS + "/admin-count")) == recorded("admin_count_editor")
    assert answer(client.get(USERS + "/inactive")) == recorded("inactive_editor")
    assert answer(client.post(USERS + "/inactive/delete", json={"ids": []})) == recorded(
        "inactive_delete_editor"
    )
    reset = client.post(USERS + "/reset-password", json={"id": "h7-bob@example.com"})
    assert answer(reset) == recorded("reset_editor")


def test_small_reads__no_credentials__401(client: TestClient) -> None:
    for path in ("/search?q=ad", "/access", "/admin-count", "/inactive"):
        assert client.get(USERS + path).status_code == 401, path


def test_validate_user_password__weak_400_strong_200(client: TestClient) -> None:
    create_bob(client)
    log_in(client)
    weak = client.post(USERS + "/validate-password", json={"password": "weak"})
    ok = client.post(USERS + "/validate-password", json={"password": "H7-Bob-pass-33"})
    assert answer(weak) == recorded("validate_user_password_weak")
    assert answer(ok) == recorded("validate_user_password_ok")


def test_reset_user_password__link_once_a_minute_then_429(client: TestClient) -> None:
    user_id = create_bob(client)
    response = client.post(
        USERS + "/reset-password", headers=ADMIN, json={"id": "h7-bob@example.com"}
    )
    status, body = answer(response)
    link = body["resetPasswordUrl"]
    assert link.startswith("http://localhost:4242/reset-password?token=")
    assert (status, {"resetPasswordUrl": link.split("token=")[0] + "token=<token>"}) == recorded(
        "reset_ok"
    )
    again = client.post(USERS + "/reset-password", headers=ADMIN, json={"id": "h7-bob@example.com"})
    assert answer(again) == recorded("reset_again")
    with client.app.state.db.connect() as conn:  # type: ignore[attr-defined]
        stored = conn.execute(select(reset_tokens).order_by(reset_tokens.c.created_at)).all()
    # The invite made with the user, then one reset link; both kept as digests only.
    assert [(row.user_id, row.purpose, row.created_by) for row in stored] == [
        (user_id, "invite", "admin"),
        (user_id, "reset", "admin"),
    ]
    assert link.split("token=")[1] not in stored[1].token_hash


def test_reset_user_password__unknown_or_missing__404_400(client: TestClient) -> None:
    unknown = client.post(
        USERS + "/reset-password", headers=ADMIN, json={"id": "h7-nobody@example.com"}
    )
    missing = client.post(USERS + "/reset-password", headers=ADMIN, json={})
    assert answer(unknown) == recorded("reset_unknown")
    assert answer(missing) == recorded("reset_missing")


def _age(client: TestClient, user_id: int, *, days: int) -> None:
    with client.app.state.db.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(created_at=utcnow() - timedelta(days=days), seen_at=None)
        )


def test_get_inactive_users__none__empty_list(client: TestClient) -> None:
    create_bob(client)
    assert answer(client.get(USERS + "/inactive", headers=ADMIN)) == recorded("inactive")


def test_get_inactive_users__not_seen_for_180_days__listed(client: TestClient) -> None:
    user_id = create_bob(client)
    _age(client, user_id, days=181)
    body = client.get(USERS + "/inactive", headers=ADMIN).json()
    assert body["version"] == 1
    [listed] = body["inactiveUsers"]
    assert {k: v for k, v in listed.items() if k != "createdAt"} == {
        "id": user_id,
        "name": "H7 Bob",
        "email": "h7-bob@example.com",
        "username": "h7-bob",
        "seenAt": None,
        "patSeenAt": None,
    }


def test_get_inactive_users__token_used_recently__not_listed(client: TestClient) -> None:
    user_id = create_bob(client)
    _age(client, user_id, days=181)
    with client.app.state.db.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(
            personal_access_tokens.insert().values(
                secret_hash="0" * 64,
                user_id=user_id,
                description="h7",
                expires_at=utcnow() + timedelta(days=1),
                created_at=utcnow(),
                seen_at=utcnow(),
            )
        )
    assert client.get(USERS + "/inactive", headers=ADMIN).json()["inactiveUsers"] == []


def test_delete_inactive_users__deletes_named_users_with_events(client: TestClient) -> None:
    user_id = create_bob(client)
    response = client.post(USERS + "/inactive/delete", headers=ADMIN, json={"ids": [user_id]})
    assert response.status_code == 200, response.text
    assert client.get(f"{USERS}/{user_id}", headers=ADMIN).status_code == 404
    with client.app.state.db.connect() as conn:  # type: ignore[attr-defined]
        types = [row.type for row in conn.execute(select(events.c.type).order_by(events.c.id))]
    assert types[-1] == "user-deleted"


def test_delete_inactive_users__own_id_skipped(client: TestClient) -> None:
    created = client.post(
        USERS,
        headers=ADMIN,
        json={"username": "h7-root", "rootRole": 1, "password": PASSWORD, "sendEmail": False},
    )
    root_id = created.json()["id"]
    login = client.post("/auth/simple/login", json={"username": "h7-root", "password": PASSWORD})
    assert login.status_code == 200
    assert client.post(USERS + "/inactive/delete", json={"ids": [root_id]}).status_code == 200
    assert client.get(f"{USERS}/{root_id}").status_code == 200


def test_delete_inactive_users__unknown_or_bad__404_400_nothing_deleted(
    client: TestClient,
) -> None:
    user_id = create_bob(client)
    unknown = client.post(USERS + "/inactive/delete", headers=ADMIN, json={"ids": [user_id, 99999]})
    negative = client.post(USERS + "/inactive/delete", headers=ADMIN, json={"ids": [-1]})
    missing = client.post(USERS + "/inactive/delete", headers=ADMIN, json={})
    assert answer(unknown) == recorded("inactive_delete_unknown")
    assert answer(negative) == recorded("inactive_delete_negative")
    assert answer(missing) == recorded("inactive_delete_missing")
    huge = client.post(USERS + "/inactive/delete", headers=ADMIN, json={"ids": [1e300, 2.5]})
    assert huge.status_code == 404
    assert client.get(f"{USERS}/{user_id}", headers=ADMIN).status_code == 200


def test_delete_scim_users__admin__200_nothing_deleted(client: TestClient) -> None:
    # Unleash 8.2.0 with no SCIM-provisioned users answers 200 with no body and writes no event.
    create_bob(client)
    db = client.app.state.db  # type: ignore[attr-defined]
    with db.connect() as conn:
        before = (conn.execute(select(users.c.id)).all(), conn.execute(select(events.c.id)).all())
    response = client.delete(USERS + "/scim-users", headers=ADMIN)
    assert (response.status_code, response.content) == (200, b"")
    with db.connect() as conn:
        after = (conn.execute(select(users.c.id)).all(), conn.execute(select(events.c.id)).all())
    assert after == before


def test_delete_scim_users__editor__403_as_unleash(client: TestClient) -> None:
    create_bob(client)
    log_in(client)
    # The same ADMIN permission as deleteInactiveUsers, so the same recorded refusal.
    assert answer(client.delete(USERS + "/scim-users")) == recorded("inactive_delete_editor")
