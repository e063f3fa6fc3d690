"""The audit log: every change writes its event in the same transaction as the change."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from leash.auth import Actor
from leash.events import repository


def record(
    conn: Connection,
    *,
    actor: Actor,
    type: str,
    data: Any = None,
    pre_data: Any = None,
    project: str | None = None,
    feature_name: str | None = None,
    environment: str | None = None,
    tags: list[dict[str, str]] | None = None,
) -> int:
    return repository.insert(
        conn,
        type=type,
        created_by=actor.name,
        created_by_user_id=actor.user_id,
        data=data,
        pre_data=pre_data,
        project=project,
        feature_name=feature_name,
        environment=environment,
        tags=tags or [],
        ip=actor.ip,
    )


def list_recent(conn: Connection, *, project: str | None, limit: int = 100) -> dict[str, Any]:
    rows, total = repository.recent(conn, project=project, limit=limit)
    return {"version": 1, "events": rows, "totalEvents": total}
