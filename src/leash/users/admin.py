"""User administration (/api/admin/user-admin): users created, read, changed and deleted, a
password set by an admin, and the first Admin of an empty database."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from leash.errors import BadDataError, NotFoundError
from leash.events import service as events
from leash.identity import Actor
from leash.users import repository, roles
from leash.users.passwords import check_password, hash_password
from leash.users.schemas import CreateUser, UpdateUser
from leash.users.views import event_user, role_json, user_json
from leash.validation import fits_int32


def _root_role_id(value: Any) -> int:
    role_id: int | None = None
    if isinstance(value, bool):
        role_id = None
    elif isinstance(value, int):
        role_id = value
    elif isinstance(value, str):
        role_id = roles.ROOT_ROLE_NAMES.get(value)
        if role_id is None and value.isdigit():
            role_id = int(value)
    if role_id is None or role_id not in roles.ROOT_ROLES:
        raise BadDataError.single(f"Could not find rootRole={value}")
    return role_id


def list_users(conn: Connection) -> dict[str, Any]:
    return {
        "users": [user_json(row, variant="list") for row in repository.all_users(conn)],
        "rootRoles": [role_json(row) for row in repository.root_roles(conn)],
    }


def get_user(conn: Connection, *, user_id: int) -> Any:
    # No user has an id its 32-bit column cannot hold; asking the database would overflow.
    row = repository.user(conn, user_id=user_id) if fits_int32(user_id) else None
    if row is None:
        raise NotFoundError("No user found")
    return row


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def create_user(conn: Connection, *, body: CreateUser, actor: Actor) -> dict[str, Any]:
    username = _clean(body.get("username"))
    email = _clean(body.get("email"))
    if username is None and email is None:
        raise BadDataError.single("You must specify username or email")
    role_id = _root_role_id(body.get("rootRole"))
    if repository.user_exists(conn, username=username, email=email):
        raise BadDataError.single("User already exists")
    password = body.get("password")
    password_hash = None
    if password:
        check_password(str(password))
        password_hash = hash_password(str(password))
    user_id = repository.insert_user(
        conn,
        username=username,
        email=email,
        name=_clean(body.get("name")),
        password_hash=password_hash,
        root_role_id=role_id,
    )
    row = get_user(conn, user_id=user_id)
    events.record(conn, actor=actor, type="user-created", data=event_user(row))
    return user_json(row, variant="create")


def update_user(
    conn: Connection, *, user_id: int, body: UpdateUser, actor: Actor
) -> dict[str, Any]:
    before = get_user(conn, user_id=user_id)
    values: dict[str, Any] = {}
    if "name" in body:
        values["name"] = _clean(body["name"])
    if "email" in body:
        email = _clean(body["email"])
        if (
            email
            and email.lower() != (before.email or "").lower()
            and repository.user_exists(conn, username=None, email=email)
        ):
            raise BadDataError.single("User already exists")
        values["email"] = email
    if body.get("rootRole") is not None:
        values["root_role_id"] = _root_role_id(body["rootRole"])
    repository.update_user(conn, user_id=user_id, values=values)
    after = get_user(conn, user_id=user_id)
    events.record(
        conn,
        actor=actor,
        type="user-updated",
        data=event_user(after),
        pre_data=event_user(before),
    )
    return user_json(after, variant="get")


def delete_user(conn: Connection, *, user_id: int, actor: Actor) -> None:
    row = get_user(conn, user_id=user_id)
    repository.delete_user(conn, user_id=user_id)
    events.record(conn, actor=actor, type="user-deleted", pre_data=event_user(row))


def change_password(conn: Connection, *, user_id: int, password: str) -> None:
    get_user(conn, user_id=user_id)
    check_password(password)
    repository.update_user(conn, user_id=user_id, values={"password_hash": hash_password(password)})
    # A new password ends every open session: whoever knew the old one is logged out.
    repository.delete_sessions_of(conn, user_id=user_id)


# --- bootstrap ---

_BOOTSTRAP_HASHES: dict[str, str] = {}


def ensure_default_admin(conn: Connection, *, username: str, password: str) -> bool:
    """An empty users table gets one Admin, as Unleash's initAdminUser does."""
    if repository.count_users(conn) > 0:
        return False
    # Hashing is slow on purpose; every app this process starts (several workers, a test
    # suite) reuses one hash of the same configured password.
    password_hash = _BOOTSTRAP_HASHES.get(password)
    if password_hash is None:
        password_hash = _BOOTSTRAP_HASHES.setdefault(password, hash_password(password))
    repository.insert_user(
        conn,
        username=username,
        email=None,
        name=None,
        password_hash=password_hash,
        root_role_id=roles.ADMIN_ROLE,
    )
    return True
