"""SQL for segments and their links to strategies."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from sqlalchemy import Connection, Select, delete, func, insert, select, update

from leash.db.base import iso, utcnow
from leash.features.models import feature_strategies, feature_strategy_segment, features
from leash.segments.models import segments


def to_json(row: Any) -> dict[str, Any]:
    segment: dict[str, Any] = {
        "id": row.id,
        "name": row.name,
        "description": row.description,
        "constraints": row.constraints,
    }
    if row.segment_project_id is not None:
        segment["project"] = row.segment_project_id
    segment["createdBy"] = row.created_by
    segment["createdAt"] = iso(row.created_at)
    return segment


# How a read locks the segment rows it returns until the transaction ends (PostgreSQL; SQLite
# compiles no lock, its writers are serialized already): "update" for a write of the segment
# itself, "share" for a strategy about to use it (a racing update or delete then waits).
Lock = Literal["update", "share"] | None


def _locked(query: Select[Any], lock: Lock) -> Select[Any]:
    if lock is None:
        return query
    return query.with_for_update(read=lock == "share")


def get(conn: Connection, *, segment_id: int, lock: Lock = None) -> dict[str, Any] | None:
    query = _locked(select(segments).where(segments.c.id == segment_id), lock)
    row = conn.execute(query).one_or_none()
    return None if row is None else to_json(row)


def get_many(
    conn: Connection, *, ids: Iterable[int], lock: Lock = None
) -> dict[int, dict[str, Any]]:
    query = _locked(select(segments).where(segments.c.id.in_(list(ids))), lock)
    rows = conn.execute(query).all()
    return {row.id: to_json(row) for row in rows}


def name_exists(conn: Connection, *, name: str) -> bool:
    return conn.execute(select(segments.c.id).where(segments.c.name == name)).first() is not None


# Any fixed number: the key of the transaction-scoped lock segment creates take on PostgreSQL.
_CREATE_LOCK_KEY = 0x1EA5_5E6


def lock_creation(conn: Connection) -> None:
    """Make segment creates run one at a time until this transaction ends, so each one counts
    the ones before it against the segment limit. There is no row to lock for a count, so on
    PostgreSQL an advisory lock does it; SQLite's writers are serialized already."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(_CREATE_LOCK_KEY)))


def count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(segments)).scalar_one())


def insert_segment(
    conn: Connection,
    *,
    name: str,
    description: str | None,
    project: str | None,
    constraints: list[dict[str, Any]],
    created_by: str,
) -> dict[str, Any]:
    segment_id = conn.execute(
        insert(segments)
        .values(
            name=name,
            description=description,
            segment_project_id=project,
            constraints=constraints,
            created_by=created_by,
            created_at=utcnow(),
        )
        .returning(segments.c.id)
    ).scalar_one()
    stored = get(conn, segment_id=segment_id)
    assert stored is not None
    return stored


def update_segment(conn: Connection, *, segment_id: int, values: dict[str, Any]) -> None:
    conn.execute(update(segments).where(segments.c.id == segment_id).values(**values))


def delete_segment(conn: Connection, *, segment_id: int) -> None:
    conn.execute(delete(segments).where(segments.c.id == segment_id))


def _active_links() -> Any:
    return (
        select(
            feature_strategy_segment.c.segment_id,
            feature_strategies.c.id.label("strategy_id"),
            feature_strategies.c.feature_name,
            feature_strategies.c.project_name,
            feature_strategies.c.strategy_name,
            feature_strategies.c.environment,
        )
        .join(
            feature_strategies,
            feature_strategies.c.id == feature_strategy_segment.c.feature_strategy_id,
        )
        .join(features, features.c.name == feature_strategies.c.feature_name)
        .where(features.c.archived_at.is_(None))
    )


def list_with_usage(conn: Connection) -> list[dict[str, Any]]:
    links = _active_links().subquery()
    usage = (
        select(
            links.c.segment_id,
            func.count(func.distinct(links.c.feature_name)).label("features"),
            func.count(func.distinct(links.c.project_name)).label("projects"),
        )
        .group_by(links.c.segment_id)
        .subquery()
    )
    rows = conn.execute(
        select(segments, usage.c.features, usage.c.projects)
        .outerjoin(usage, usage.c.segment_id == segments.c.id)
        .order_by(segments.c.name, segments.c.id)
    ).all()
    result = []
    for row in rows:
        segment = to_json(row)
        segment["usedInProjects"] = int(row.projects or 0)
        segment["usedInFeatures"] = int(row.features or 0)
        result.append(segment)
    return result


def projects_using(conn: Connection, *, segment_id: int) -> list[str]:
    links = _active_links().where(feature_strategy_segment.c.segment_id == segment_id).subquery()
    rows = conn.execute(select(links.c.project_name).distinct().order_by(links.c.project_name))
    return [row.project_name for row in rows]


def strategies_using(conn: Connection, *, segment_id: int) -> list[dict[str, Any]]:
    query = _active_links().where(feature_strategy_segment.c.segment_id == segment_id)
    rows = conn.execute(query.order_by(feature_strategies.c.created_at, feature_strategies.c.id))
    return [
        {
            "id": row.strategy_id,
            "projectId": row.project_name,
            "featureName": row.feature_name,
            "strategyName": row.strategy_name,
            "environment": row.environment,
        }
        for row in rows
    ]


def segments_of_strategy(conn: Connection, *, strategy_id: str) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(segments)
        .join(feature_strategy_segment, feature_strategy_segment.c.segment_id == segments.c.id)
        .where(feature_strategy_segment.c.feature_strategy_id == strategy_id)
        .order_by(segments.c.id)
    ).all()
    return [to_json(row) for row in rows]


def segment_ids_of_strategy(conn: Connection, *, strategy_id: str) -> list[int]:
    rows = conn.execute(
        select(feature_strategy_segment.c.segment_id)
        .where(feature_strategy_segment.c.feature_strategy_id == strategy_id)
        .order_by(feature_strategy_segment.c.segment_id)
    )
    return [row.segment_id for row in rows]


def set_strategy_segments(conn: Connection, *, strategy_id: str, segment_ids: list[int]) -> None:
    """Make the strategy's segment set exactly `segment_ids`."""
    current = set(segment_ids_of_strategy(conn, strategy_id=strategy_id))
    wanted = list(dict.fromkeys(segment_ids))
    removed = current - set(wanted)
    if removed:
        conn.execute(
            delete(feature_strategy_segment).where(
                feature_strategy_segment.c.feature_strategy_id == strategy_id,
                feature_strategy_segment.c.segment_id.in_(removed),
            )
        )
    added = [sid for sid in wanted if sid not in current]
    if added:
        now = utcnow()
        conn.execute(
            insert(feature_strategy_segment),
            [
                {"feature_strategy_id": strategy_id, "segment_id": sid, "created_at": now}
                for sid in added
            ],
        )
