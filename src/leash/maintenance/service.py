"""Maintenance mode: while it is on, admin writes are refused (see `refuses`), SDKs, reads and
logins keep working, as Unleash's maintenance middleware does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError

from leash.errors import PlainStatus
from leash.events import service as events
from leash.identity import Actor
from leash.maintenance import repository

KEY: Final = "maintenance.mode"
MESSAGE: Final = "Unleash is currently in maintenance mode."
# Unleash refuses these methods only (PATCH goes through), under /api/admin only (SDK paths
# and /auth logins keep working), except paths naming maintenance (so it can be switched off).
_WRITE_METHODS: Final = frozenset({"POST", "PUT", "DELETE"})
_ADMIN_PREFIX: Final = "/api/admin"

T = TypeVar("T")


def setting(conn: Connection) -> dict[str, Any]:
    stored = repository.get(conn, name=KEY)
    enabled = isinstance(stored, dict) and stored.get("enabled") is True
    return {"enabled": enabled}


def scheduled(engine: Engine, *, work: Callable[[Connection], T], skipped: T) -> T:
    """A background job's run in its own transaction, or `skipped` in maintenance mode, as
    Unleash's scheduler skips every job then."""
    with engine.begin() as conn:
        if setting(conn)["enabled"]:
            return skipped
        return work(conn)


def guarded(*, method: str, path: str) -> bool:
    """Would maintenance mode refuse this request? (No database read: callers ask `refuses`
    only for the requests this is true of.)"""
    return (
        method in _WRITE_METHODS
        and (path == _ADMIN_PREFIX or path.startswith(_ADMIN_PREFIX + "/"))
        and "/maintenance" not in path[len(_ADMIN_PREFIX) :]
    )


def refuse_if_on(engine: Engine, *, method: str, path: str) -> None:
    """503 {"message"} for a guarded request while maintenance mode is on. Read from the
    database on every guarded request (admin writes are rare), so every process agrees at
    once; Unleash caches it for a minute in each process."""
    if not guarded(method=method, path=path):
        return
    with engine.connect() as conn:
        on = setting(conn)["enabled"]
    if on:
        raise PlainStatus(503, MESSAGE)


def toggle(conn: Connection, *, enabled: bool, actor: Actor) -> None:
    """Unleash's setting insert: "setting-created" the first time, "setting-updated" after,
    with the setting's id in the data and the stored value before as preData."""
    value = {"enabled": enabled}
    previous = repository.get(conn, name=KEY, lock=True)
    data = {"id": KEY, **value}
    if previous is None:
        try:
            with conn.begin_nested():
                repository.insert_setting(conn, name=KEY, content=value)
        except IntegrityError:
            # Another toggle inserted it first: this one is an update of it.
            previous = repository.get(conn, name=KEY, lock=True)
        else:
            events.record(conn, actor=actor, type="setting-created", data=data)
            return
    repository.update_setting(conn, name=KEY, content=value)
    events.record(conn, actor=actor, type="setting-updated", data=data, pre_data=previous)
