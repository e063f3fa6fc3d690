from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, insert, select

from leash.db.base import iso, utcnow
from leash.events.models import events


def insert(  # noqa: PLR0913
    conn: Connection,
    *,
    type: str,
    created_by: str,
    created_by_user_id: int | None,
    data: Any,
    pre_data: Any,
    project: str | None,
    feature_name: str | None,
    environment: str | None,
    tags: list[dict[str, str]],
    ip: str | None,
) -> int:
    result = conn.execute(
        events.insert()
        .values(
            type=type,
            created_by=created_by,
            created_by_user_id=created_by_user_id,
            created_at=utcnow(),
            data=data,
            pre_data=pre_data,
            project=project,
            feature_name=feature_name,
            environment=environment,
            tags=tags,
            ip=ip,
        )
        .returning(events.c.id)
    )
    return int(result.scalar_one())


def to_json(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "type": row.type,
        "createdBy": row.created_by,
        "createdAt": iso(row.created_at),
        "createdByUserId": row.created_by_user_id,
        "data": row.data,
        "preData": row.pre_data,
        "tags": row.tags,
        "featureName": row.feature_name,
        "project": row.project,
        "environment": row.environment,
    }


def recent(
    conn: Connection, *, project: str | None, limit: int
) -> tuple[list[dict[str, Any]], int]:
    query = select(events)
    count = select(func.count()).select_from(events)
    if project is not None:
        query = query.where(events.c.project == project)
        count = count.where(events.c.project == project)
    rows = conn.execute(query.order_by(events.c.id.desc()).limit(limit)).all()
    return [to_json(row) for row in rows], int(conn.execute(count).scalar_one())


def max_id(conn: Connection) -> int:
    return int(conn.execute(select(func.coalesce(func.max(events.c.id), 0))).scalar_one())


__all__ = ["insert", "max_id", "recent", "to_json"]
