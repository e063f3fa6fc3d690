"""SQL for flag types."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select, update

from leash.feature_types.models import feature_types


def to_json(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "description": row.description,
        "lifetimeDays": row.lifetime_days,
    }


def list_all(conn: Connection) -> list[dict[str, Any]]:
    query = select(feature_types).order_by(feature_types.c.sort_order, feature_types.c.id)
    return [to_json(row) for row in conn.execute(query)]


def get(conn: Connection, *, type_id: str, lock: bool = False) -> dict[str, Any] | None:
    query = select(feature_types).where(feature_types.c.id == type_id)
    if lock:
        query = query.with_for_update()
    row = conn.execute(query).one_or_none()
    return None if row is None else to_json(row)


def lifetimes(conn: Connection) -> dict[str, int | None]:
    rows = conn.execute(select(feature_types.c.id, feature_types.c.lifetime_days))
    return {row.id: row.lifetime_days for row in rows}


def set_lifetime(conn: Connection, *, type_id: str, lifetime_days: int | None) -> None:
    conn.execute(
        update(feature_types)
        .where(feature_types.c.id == type_id)
        .values(lifetime_days=lifetime_days)
    )
