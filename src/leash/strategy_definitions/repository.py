"""SQL for strategy definitions (the `strategies` table)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from leash.db.base import utcnow
from leash.strategy_definitions.models import strategies

# Where Unleash puts a custom strategy: after the built-ins, by name among themselves.
CUSTOM_SORT_ORDER = 9999


def to_json(row: Any) -> dict[str, Any]:
    return {
        "displayName": row.display_name,
        "name": row.name,
        "editable": not row.built_in,
        "description": row.description,
        "parameters": row.parameters,
        "deprecated": bool(row.deprecated),
        "title": row.title,
    }


def list_all(conn: Connection) -> list[dict[str, Any]]:
    query = select(strategies).order_by(strategies.c.sort_order, strategies.c.name)
    return [to_json(row) for row in conn.execute(query)]


def get(conn: Connection, *, name: str, lock: bool = False) -> dict[str, Any] | None:
    query = select(strategies).where(strategies.c.name == name)
    if lock:
        query = query.with_for_update()
    row = conn.execute(query).one_or_none()
    return None if row is None else to_json(row)


def exists(conn: Connection, *, name: str) -> bool:
    query = select(strategies.c.name).where(strategies.c.name == name)
    return conn.execute(query).first() is not None


def insert_strategy(
    conn: Connection,
    *,
    name: str,
    description: str | None,
    title: str | None,
    parameters: list[dict[str, Any]],
) -> None:
    conn.execute(
        insert(strategies).values(
            name=name,
            description=description,
            title=title,
            parameters=parameters,
            built_in=False,
            deprecated=False,
            sort_order=CUSTOM_SORT_ORDER,
            created_at=utcnow(),
        )
    )


def update_strategy(conn: Connection, *, name: str, values: dict[str, Any]) -> None:
    conn.execute(update(strategies).where(strategies.c.name == name).values(**values))


def set_deprecated(conn: Connection, *, name: str, deprecated: bool) -> None:
    update_strategy(conn, name=name, values={"deprecated": deprecated})


def delete_strategy(conn: Connection, *, name: str) -> None:
    conn.execute(delete(strategies).where(strategies.c.name == name))
