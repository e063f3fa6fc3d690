from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from leash.db.base import utcnow
from leash.tokens.models import api_tokens


def find(conn: Connection, *, secret_hash: str) -> Any:
    return conn.execute(
        select(api_tokens).where(api_tokens.c.secret_hash == secret_hash)
    ).one_or_none()


def insert(
    conn: Connection,
    *,
    secret_hash: str,
    display_prefix: str,
    token_name: str,
    type: str,
    environment: str,
    projects: list[str],
    expires_at: datetime | None = None,
) -> datetime:
    created_at = utcnow()
    conn.execute(
        api_tokens.insert().values(
            secret_hash=secret_hash,
            display_prefix=display_prefix,
            token_name=token_name,
            type=type,
            environment=environment,
            projects=projects,
            created_at=created_at,
            expires_at=expires_at,
        )
    )
    return created_at


def count_of_type(conn: Connection, *, type: str) -> int:
    return len(conn.execute(select(api_tokens.c.secret_hash).where(api_tokens.c.type == type)).all())
