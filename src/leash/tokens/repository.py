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
    query = select(api_tokens.c.secret_hash).where(api_tokens.c.type == type)
    return len(conn.execute(query).all())


def find_by_display(conn: Connection, *, display_prefix: str, hash_start: str) -> list[Any]:
    """Rows whose masked secret could be `display_prefix` + mask + `hash_start`."""
    return list(
        conn.execute(
            select(api_tokens).where(
                api_tokens.c.display_prefix == display_prefix,
                api_tokens.c.secret_hash.startswith(hash_start, autoescape=True),
            )
        ).all()
    )


def list_all(conn: Connection) -> list[Any]:
    return list(
        conn.execute(
            select(api_tokens).order_by(api_tokens.c.created_at.desc(), api_tokens.c.token_name)
        ).all()
    )


def set_expiry(conn: Connection, *, secret_hash: str, expires_at: datetime | None) -> None:
    conn.execute(
        api_tokens.update()
        .where(api_tokens.c.secret_hash == secret_hash)
        .values(expires_at=expires_at)
    )


def delete(conn: Connection, *, secret_hash: str) -> None:
    conn.execute(api_tokens.delete().where(api_tokens.c.secret_hash == secret_hash))


def expiries(conn: Connection, *, secret_hashes: list[str]) -> dict[str, datetime | None]:
    """The expiry of each of these tokens that still exists (None: never expires)."""
    rows = conn.execute(
        select(api_tokens.c.secret_hash, api_tokens.c.expires_at).where(
            api_tokens.c.secret_hash.in_(secret_hashes)
        )
    )
    return {row.secret_hash: row.expires_at for row in rows}
