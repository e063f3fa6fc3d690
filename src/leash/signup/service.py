"""Public sign-up links (Unleash's public signup tokens): an admin makes a link that lets anyone
who has it create a Viewer account, for at most a month."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from leash.db.base import iso, utcnow
from leash.errors import NotFoundError
from leash.events import service as events
from leash.identity import SYSTEM_ACTOR, Actor
from leash.signup import repository
from leash.signup.schemas import InvitedUser
from leash.users import admin, roles
from leash.users.schemas import CreateUser
from leash.users.views import user_json

# Unleash caps a link's life at a month from its creation.
LONGEST = timedelta(days=31)
# Longer than any secret leash makes (32 hex digits); a longer one is not looked up.
MAX_SECRET_LENGTH = 255


def _one_month_from(moment: datetime) -> datetime:
    """date-fns' add({months: 1}): the same day next month, or the month's last day."""
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return moment + LONGEST


def _json(row: Any, users: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "secret": row.secret,
        "name": row.name,
        "url": row.url,
        "expiresAt": iso(row.expires_at),
        "enabled": row.enabled,
        "createdAt": iso(row.created_at),
        "createdBy": row.created_by,
        "role": {"id": row.role_id, "name": row.role_name, "type": row.role_type},
        "users": users,
    }


def _with_users(conn: Connection, rows: list[Any]) -> list[dict[str, Any]]:
    by_secret: dict[str, list[dict[str, Any]]] = {row.secret: [] for row in rows}
    for user in repository.token_users(conn, secrets=list(by_secret)):
        by_secret[user.secret].append({"id": user.id, "name": user.name, "username": user.username})
    return [_json(row, by_secret[row.secret]) for row in rows]


def list_tokens(conn: Connection) -> dict[str, Any]:
    return {"tokens": _with_users(conn, repository.tokens(conn))}


def get_token(conn: Connection, *, secret: str) -> dict[str, Any]:
    rows = repository.tokens(conn, secret=secret) if len(secret) <= MAX_SECRET_LENGTH else []
    if not rows:
        raise NotFoundError("Could not find public signup token.")
    return _with_users(conn, rows)[0]


def create_token(
    conn: Connection, *, name: str, expires_at: datetime, actor: Actor, unleash_url: str
) -> dict[str, Any]:
    now = utcnow()
    secret = secrets.token_hex(16)
    repository.insert(
        conn,
        secret=secret,
        name=name,
        url=f"{unleash_url.rstrip('/')}/new-user?invite={secret}",
        role_id=roles.VIEWER_ROLE,
        created_by=actor.name,
        expires_at=min(expires_at, _one_month_from(now)),
    )
    token = get_token(conn, secret=secret)
    events.record(conn, actor=actor, type="public-signup-token-created", data=token)
    return token


def update_token(
    conn: Connection,
    *,
    secret: str,
    expires_at: datetime | None,
    enabled: bool | None,
    actor: Actor,
) -> dict[str, Any]:
    get_token(conn, secret=secret)
    values: dict[str, Any] = {}
    data: dict[str, Any] = {"secret": secret}
    if enabled is not None:
        values["enabled"] = enabled
        data["enabled"] = enabled
    if expires_at is not None:
        # Unlike a new link's, a changed expiry is not capped (as in Unleash).
        values["expires_at"] = expires_at
        data["expiresAt"] = iso(expires_at)
    repository.update(conn, secret=secret, values=values)
    events.record(conn, actor=actor, type="public-signup-token-updated", data=data)
    return get_token(conn, secret=secret)


def is_valid(conn: Connection, *, secret: str) -> bool:
    if len(secret) > MAX_SECRET_LENGTH:
        return False
    rows = repository.tokens(conn, secret=secret)
    return bool(rows) and rows[0].enabled and rows[0].expires_at > utcnow()


def sign_up(conn: Connection, *, secret: str, body: InvitedUser) -> dict[str, Any]:
    """A new user with the link's role. Unleash's new user is created by its system user."""
    token = get_token(conn, secret=secret)
    new_user: CreateUser = {
        "rootRole": token["role"]["id"],
        "email": body["email"],
        "name": body["name"],
        "password": body["password"],
    }
    if "username" in body:
        new_user["username"] = body["username"]
    created = admin.create_user(conn, body=new_user, actor=SYSTEM_ACTOR)
    repository.add_user(conn, secret=secret, user_id=created["id"])
    events.record(
        conn,
        actor=SYSTEM_ACTOR,
        type="public-signup-token-user-added",
        data={"secret": secret, "userId": created["id"]},
    )
    return user_json(admin.get_user(conn, user_id=created["id"]), variant="get")
