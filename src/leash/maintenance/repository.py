"""SQL for instance settings."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

from leash.maintenance.models import settings


def get(conn: Connection, *, name: str, lock: bool = False) -> Any:
    query = select(settings.c.content).where(settings.c.name == name)
    if lock:
        query = query.with_for_update()
    return conn.execute(query).scalar_one_or_none()


def insert_setting(conn: Connection, *, name: str, content: Any) -> None:
    conn.execute(insert(settings).values(name=name, content=content))


def update_setting(conn: Connection, *, name: str, content: Any) -> None:
    conn.execute(update(settings).where(settings.c.name == name).values(content=content))
