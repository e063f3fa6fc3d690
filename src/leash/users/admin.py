"""User administration (/api/admin/user-admin): users created, read, changed and deleted, a
password set by an admin, and the first Admin of an empty database."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import Connection

from leash.db.base import iso, utcnow
from leash.errors import BadDataError, NotFoundError
from leash.events import service as events
from leash.identity import Actor
from leash.users import credentials, repository, resets, roles
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
    if password_hash is not None:
        credentials.remember(conn, user_id=user_id, password_hash=password_hash)
    row = get_user(conn, user_id=user_id)
    events.record(conn, actor=actor, type="user-created", data=event_user(row), grouped=True)
    return user_json(row, variant="create")


def create_invited_user(
    conn: Connection, *, body: CreateUser, actor: Actor, unleash_url: str
) -> dict[str, Any]:
    """createUser: the user and, as Unleash with password sign-in on, their invite link."""
    created = create_user(conn, body=body, actor=actor)
    created["inviteLink"] = resets.create_invite(
        conn, user_id=created["id"], created_by=actor.name, unleash_url=unleash_url
    )
    return created


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
    """An admin sets the password: no check against the user's earlier ones, as in Unleash."""
    get_user(conn, user_id=user_id)
    credentials.require_new_password(password)
    credentials.store_password(conn, user_id=user_id, password_hash=hash_password(password))


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
    user_id = repository.insert_user(
        conn,
        username=username,
        email=None,
        name=None,
        password_hash=password_hash,
        root_role_id=roles.ADMIN_ROLE,
    )
    credentials.remember(conn, user_id=user_id, password_hash=password_hash)
    return True


# --- the small reads of user admin ---

# Unleash's USER_INACTIVITY_THRESHOLD_IN_DAYS default.
INACTIVE_AFTER = timedelta(days=180)


def admin_count(conn: Connection) -> dict[str, int]:
    with_password, without = repository.count_admins(conn, admin_role_id=roles.ADMIN_ROLE)
    # leash has no service accounts.
    return {"password": with_password, "noPassword": without, "service": 0}


def search_users(conn: Connection, *, query: str | None) -> list[dict[str, Any]]:
    # Unleash searches only for two characters or more.
    if query is None or len(query) < 2:
        return []
    return [user_json(row, variant="search") for row in repository.search_users(conn, query=query)]


def base_users_and_groups(conn: Connection) -> dict[str, Any]:
    users = []
    for row in repository.all_users(conn):
        user: dict[str, Any] = {"id": row.id}
        for key in ("name", "username", "email"):
            value = getattr(row, key)
            if value is not None:
                user[key] = value
        user["accountType"] = "User"
        users.append(user)
    # leash has no user groups.
    return {"users": users, "groups": []}


def inactive_users(conn: Connection) -> dict[str, Any]:
    before = utcnow() - INACTIVE_AFTER
    listed = [
        {
            "id": row.id,
            "name": row.name,
            "email": row.email,
            "username": row.username,
            "seenAt": iso(row.seen_at),
            "createdAt": iso(row.created_at),
            "patSeenAt": iso(row.pat_seen_at),
        }
        for row in repository.inactive_users(conn, before=before)
    ]
    return {"version": 1, "inactiveUsers": listed}


def delete_users(conn: Connection, *, ids: list[float], actor: Actor) -> None:
    """deleteInactiveUsers: the users named (never the caller), whether inactive or not, as
    Unleash deletes them; an unknown one is a 404 and, unlike Unleash, deletes none."""
    for value in ids:
        if value == actor.user_id:
            continue
        if not float(value).is_integer():
            raise NotFoundError("No user found")
        delete_user(conn, user_id=int(value), actor=actor)
