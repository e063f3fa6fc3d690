"""The caller's own account: getProfile, getUserRoles, changeMyPassword. Expected bodies were
recorded from the reference Unleash 8.2.0 (fixtures/accounts_8_2.json)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from accountkit import NEW_PASSWORD, PASSWORD, answer, create_bob, log_in
from leash.users.models import used_passwords
from support import ADMIN, add_project

RECORDED: dict[str, Any] = json.loads(
    (Path(__file__).parent / "fixtures" / "accounts_8_2.json").read_text()
)
CHANGE = "/api/admin/user/change-password"


def recorded(name: str) -> tuple[int, Any]:
    answer = RECORDED[name]
    return answer["status"], answer["body"]


def change(client: TestClient, **body: str) -> Any:
    return client.post(CHANGE, json=body)


def test_get_profile__editor__root_role_default_project_and_password_flag(
    client: TestClient,
) -> None:
    create_bob(client)
    log_in(client)
    assert answer(client.get("/api/admin/user/profile")) == recorded("profile_editor")


def test_get_profile__project_role__project_listed_after_default(client: TestClient) -> None:
    user_id = create_bob(client)
    add_project(client.app.state.db, "h7-proj")  # type: ignore[attr-defined]
    added = client.post(
        "/api/admin/projects/h7-proj/role/5/access",
        headers=ADMIN,
        json={"users": [{"id": user_id}]},
    )
    assert added.status_code == 200, added.text
    log_in(client)
    assert client.get("/api/admin/user/profile").json()["projects"] == ["default", "h7-proj"]
    roles = client.get("/api/admin/user/roles", params={"projectId": "h7-proj"}).json()
    assert [(role["id"], role["project"]) for role in roles["roles"]] == [
        (2, "default"),
        (5, "h7-proj"),
    ]


def test_get_profile__admin_token__400_no_user(client: TestClient) -> None:
    response = client.get("/api/admin/user/profile", headers=ADMIN)
    assert answer(response) == recorded("profile_admin_token")


def test_get_profile__no_credentials__401(client: TestClient) -> None:
    assert client.get("/api/admin/user/profile").status_code == 401


def test_get_user_roles__project__root_role_on_default(client: TestClient) -> None:
    create_bob(client)
    log_in(client)
    response = client.get("/api/admin/user/roles", params={"projectId": "default"})
    assert answer(response) == recorded("roles_editor_default")


def test_get_user_roles__no_project__bare_400(client: TestClient) -> None:
    create_bob(client)
    log_in(client)
    assert answer(client.get("/api/admin/user/roles")) == recorded("roles_no_project")
    assert client.get("/api/admin/user/roles", params={"projectId": ""}).status_code == 400


def test_change_my_password__confirmation_differs_or_no_old__bare_400(client: TestClient) -> None:
    create_bob(client)
    log_in(client)
    differs = change(
        client, password=NEW_PASSWORD, confirmPassword="H7-Bob-pass-23", oldPassword=PASSWORD
    )
    no_old = change(client, password=NEW_PASSWORD, confirmPassword=NEW_PASSWORD)
    assert answer(differs) == recorded("change_mismatch")
    assert answer(no_old) == recorded("change_no_old")


def test_change_my_password__wrong_old__401(client: TestClient) -> None:
    create_bob(client)
    log_in(client)
    response = change(
        client, password=NEW_PASSWORD, confirmPassword=NEW_PASSWORD, oldPassword="wrong"
    )
    assert answer(response) == recorded("change_wrong_old")


def test_change_my_password__weak_before_old_checked__400_owasp(client: TestClient) -> None:
    create_bob(client)
    log_in(client)
    response = change(client, password="weak", confirmPassword="weak", oldPassword="wrong")
    assert answer(response) == recorded("change_weak")


def test_change_my_password__empty__400_password_undefined(client: TestClient) -> None:
    create_bob(client)
    log_in(client)
    response = change(client, password="", confirmPassword="", oldPassword=PASSWORD)
    assert answer(response) == recorded("change_empty")


def test_change_my_password__current_one__400_previously_used(client: TestClient) -> None:
    create_bob(client)
    log_in(client)
    response = change(client, password=PASSWORD, confirmPassword=PASSWORD, oldPassword=PASSWORD)
    assert answer(response) == recorded("change_reused")


def test_change_my_password__bad_body__400(client: TestClient) -> None:
    create_bob(client)
    log_in(client)
    extra = client.post(
        CHANGE,
        json={
            "password": PASSWORD,
            "confirmPassword": PASSWORD,
            "oldPassword": PASSWORD,
            "extra": 1,
        },
    )
    missing = client.post(CHANGE, json={"confirmPassword": PASSWORD})
    assert answer(extra) == recorded("change_extra")
    assert answer(missing) == recorded("change_missing")


def test_change_my_password__admin_token__400_no_user(client: TestClient) -> None:
    body = {"password": NEW_PASSWORD, "confirmPassword": NEW_PASSWORD, "oldPassword": "x"}
    response = client.post(CHANGE, headers=ADMIN, json=body)
    assert answer(response) == recorded("profile_admin_token")


def test_change_my_password__ok__this_session_kept_others_ended(client: TestClient) -> None:
    create_bob(client)
    log_in(client)
    other = TestClient(client.app)
    assert (
        other.post(
            "/auth/simple/login", json={"username": "h7-bob", "password": PASSWORD}
        ).status_code
        == 200
    )
    response = change(
        client, password=NEW_PASSWORD, confirmPassword=NEW_PASSWORD, oldPassword=PASSWORD
    )
    assert answer(response) == recorded("change_ok")
    assert answer(client.get("/api/admin/user/profile")) == recorded("profile_after_change")
    assert other.get("/api/admin/user/profile").status_code == 401
    old = client.post("/auth/simple/login", json={"username": "h7-bob", "password": PASSWORD})
    assert old.status_code == 401
    log_in(client, NEW_PASSWORD)


def test_change_my_password__last_five_refused_sixth_back_allowed(client: TestClient) -> None:
    user_id = create_bob(client)
    log_in(client)
    passwords = [PASSWORD] + [f"H7-Bob-pass-{n}0" for n in range(1, 6)]
    for old, new in itertools.pairwise(passwords):
        ok = change(client, password=new, confirmPassword=new, oldPassword=old)
        assert ok.status_code == 200, ok.text
    current = passwords[-1]
    recent = change(
        client, password=passwords[2], confirmPassword=passwords[2], oldPassword=current
    )
    assert answer(recent) == recorded("change_reused")
    # The first one is six passwords back: no longer remembered.
    first = change(client, password=PASSWORD, confirmPassword=PASSWORD, oldPassword=current)
    assert first.status_code == 200, first.text
    with client.app.state.db.connect() as conn:  # type: ignore[attr-defined]
        count = conn.execute(
            select(func.count())
            .select_from(used_passwords)
            .where(used_passwords.c.user_id == user_id)
        ).scalar_one()
    assert count == 5
