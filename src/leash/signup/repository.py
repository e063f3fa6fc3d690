"""SQL for public sign-up links and the users who signed up with them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from leash.db.base import utcnow
from leash.signup.models import public_signup_tokens, public_signup_tokens_user
from leash.users.models import roles, users


def insert(
    conn: Connection,
    *,
    secret: str,
    name: str,
    url: str,
    role_id: int,
    created_by: str,
    expires_at: datetime,
) -> None:
    conn.execute(
        public_signup_tokens.insert().values(
            secret=secret,
            name=name,
            url=url,
            role_id=role_id,
            enabled=True,
            created_by=created_by,
            created_at=utcnow(),
            expires_at=expires_at,
        )
    )


def tokens(conn: Connection, *, secret: str | None = None) -> list[Any]:
    """Tokens with their role's fields, oldest first (one, when `secret` is given)."""
    query = (
        select(
            public_signup_tokens,
            roles.c.name.label("role_name"),
            roles.c.type.label("role_type"),
        )
        .join(roles, roles.c.id == public_signup_tokens.c.role_id)
        .order_by(public_signup_tokens.c.created_at, public_signup_tokens.c.secret)
    )
    if secret is not None:
        query = query.where(public_signup_tokens.c.secret == secret)
    return list(conn.execute(query).all())


def token_users(conn: Connection, *, secrets: list[str]) -> list[Any]:
    if not secrets:
        return []
    query = (
        select(
            public_signup_tokens_user.c.secret,
            users.c.id,
            users.c.name,
            users.c.username,
        )
        .join(users, users.c.id == public_signup_tokens_user.c.user_id)
        .where(public_signup_tokens_user.c.secret.in_(secrets))
        .order_by(public_signup_tokens_user.c.created_at, users.c.id)
    )
    return list(conn.execute(query).all())


def update(conn: Connection, *, secret: str, values: dict[str, Any]) -> None:
    if values:
        conn.execute(
            public_signup_tokens.update()
            .where(public_signup_tokens.c.secret == secret)
            .values(**values)
        )


def add_user(conn: Connection, *, secret: str, user_id: int) -> None:
    conn.execute(
        public_signup_tokens_user.insert().values(
            secret=secret, user_id=user_id, created_at=utcnow()
        )
    )
