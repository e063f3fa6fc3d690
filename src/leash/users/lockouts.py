"""Failed logins per account, in the database so every worker and every instance counts them
together (the SQL of leash.users.sessions' login throttle).

A row per key: an account ("user:<id>", whatever name or email it was reached by) or, for a
name that is no account, a digest of the normalised name (never the name itself: people type
passwords into the username field).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Index,
    Integer,
    String,
    Table,
    and_,
    case,
    or_,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite

from leash.db.base import UtcDateTime, metadata

login_failures = Table(
    "login_failures",
    metadata,
    Column("key", String(80), primary_key=True),
    # Consecutive failed attempts, the one in flight included (see reserve).
    Column("failures", Integer, nullable=False),
    Column("last_attempt_at", UtcDateTime, nullable=False),
    # No attempt is checked before this time; NULL when not locked.
    Column("locked_until", UtcDateTime, nullable=True),
    Index("ix_login_failures_last_attempt_at", "last_attempt_at"),
)


def _not_locked(now: datetime) -> ColumnElement[bool]:
    return or_(login_failures.c.locked_until.is_(None), login_failures.c.locked_until <= now)


def reserve(conn: Connection, *, key: str, now: datetime, forget_before: datetime) -> int | None:
    """Count an attempt for `key` before its password is checked, so parallel attempts each
    see the ones before them; returns the count with this one, or None when `key` is locked
    (then nothing is counted). A count whose last attempt is older than `forget_before`
    starts again."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(
        dialect.insert(login_failures)
        .values(key=key, failures=0, last_attempt_at=now, locked_until=None)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    # One statement: on PostgreSQL a concurrent attempt waits for this row, then sees its
    # count and lock; SQLite runs one writer at a time.
    counted = conn.execute(
        login_failures.update()
        .where(and_(login_failures.c.key == key, _not_locked(now)))
        .values(
            failures=_restart_or_add(forget_before),
            last_attempt_at=now,
        )
        .returning(login_failures.c.failures)
    ).scalar()
    return None if counted is None else int(counted)


def _restart_or_add(forget_before: datetime) -> ColumnElement[int]:
    return case(
        (login_failures.c.last_attempt_at < forget_before, 1),
        else_=login_failures.c.failures + 1,
    )


def lock(conn: Connection, *, key: str, until: datetime) -> None:
    conn.execute(
        login_failures.update().where(login_failures.c.key == key).values(locked_until=until)
    )


def locked_until(conn: Connection, *, key: str) -> datetime | None:
    value: datetime | None = conn.execute(
        select(login_failures.c.locked_until).where(login_failures.c.key == key)
    ).scalar()
    return value


def clear(conn: Connection, *, key: str) -> None:
    conn.execute(login_failures.delete().where(login_failures.c.key == key))


def forget_old(conn: Connection, *, now: datetime, forget_before: datetime) -> None:
    """Drop counts nobody added to since `forget_before` and no longer locked: random names
    tried once would otherwise stay forever."""
    conn.execute(
        login_failures.delete().where(
            and_(login_failures.c.last_attempt_at < forget_before, _not_locked(now))
        )
    )
