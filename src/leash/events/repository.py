from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Text,
    and_,
    cast,
    false,
    func,
    not_,
    or_,
    select,
    true,
)

from leash.db.base import iso, utcnow
from leash.events.models import events
from leash.users.models import users


def insert(
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
    group_type: str | None = None,
    group_id: str | None = None,
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
            group_type=group_type,
            group_id=group_id,
        )
        .returning(events.c.id)
    )
    return int(result.scalar_one())


def to_json(row: Any) -> dict[str, Any]:
    body = {
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
    # Unleash shows the keys only on events written inside a grouped transaction.
    if row.group_type is not None:
        body["groupType"] = row.group_type
        body["groupId"] = row.group_id
    return body


def recent(
    conn: Connection, *, project: str | None, limit: int
) -> tuple[list[dict[str, Any]], int]:
    query = select(events)
    count = select(func.count()).select_from(events)
    if project is not None:
        query = query.where(events.c.project == project)
        count = count.where(events.c.project == project)
    newest_first = (events.c.created_at.desc(), events.c.id.desc())
    rows = conn.execute(query.order_by(*newest_first).limit(limit)).all()
    return [to_json(row) for row in rows], int(conn.execute(count).scalar_one())


@dataclass(frozen=True)
class Filter:
    """One search condition: `column` IS / IS_NOT one of `values` (None matches NULL)."""

    column: str
    values: tuple[Any, ...]
    negate: bool = False


def _condition(item: Filter) -> ColumnElement[bool]:
    column = events.c[item.column]
    concrete = [v for v in item.values if v is not None]
    parts: list[ColumnElement[bool]] = []
    if concrete:
        parts.append(column.in_(concrete))
    if len(concrete) < len(item.values):
        parts.append(column.is_(None))
    matched = or_(*parts) if parts else false()
    if not item.negate:
        return matched
    if len(concrete) == len(item.values):
        # NOT IN drops NULLs in SQL, yet a row with no value is "not one of" the values.
        return or_(not_(matched), column.is_(None))
    return not_(matched)


def search(
    conn: Connection,
    *,
    filters: list[Filter],
    created_from: datetime | None,
    created_before: datetime | None,
    text: str | None,
    offset: int,
    limit: int,
) -> tuple[list[dict[str, Any]], int]:
    conditions: list[ColumnElement[bool]] = [_condition(item) for item in filters]
    if created_from is not None:
        conditions.append(events.c.created_at >= created_from)
    if created_before is not None:
        conditions.append(events.c.created_at < created_before)
    if text:
        # Unleash: data::text ILIKE, tags::text ILIKE or pre_data::text ILIKE '%text%'.
        needle = text.lower()
        conditions.append(
            or_(
                *(
                    func.lower(cast(events.c[name], Text)).contains(needle, autoescape=True)
                    for name in ("data", "tags", "pre_data")
                )
            )
        )
    where = and_(true(), *conditions)
    total = int(conn.execute(select(func.count()).select_from(events).where(where)).scalar_one())
    query = (
        select(events)
        .where(where)
        .order_by(events.c.created_at.desc(), events.c.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return [to_json(row) for row in conn.execute(query)], total


__all__ = ["Filter", "creators", "insert", "recent", "search", "to_json"]


# Who Unleash names for its own pseudo-users' events (its SYSTEM_USER and ADMIN_TOKEN_USER).
_PSEUDO_USER_NAMES = {-1337: "Unleash System", -42: "Unleash Admin Token"}


def creators(conn: Connection) -> list[dict[str, Any]]:
    """One entry per distinct created_by_user_id of the events (ascending, no id last, as
    PostgreSQL's DISTINCT ON orders them), named as Unleash names them: its pseudo-users by
    their names, users by name, username or email, else the event's created_by."""
    first = (
        select(events.c.created_by_user_id, func.min(events.c.id).label("event_id"))
        .group_by(events.c.created_by_user_id)
        .subquery()
    )
    query = (
        select(
            first.c.created_by_user_id,
            events.c.created_by,
            users.c.name,
            users.c.username,
            users.c.email,
        )
        .join(events, events.c.id == first.c.event_id)
        .outerjoin(users, users.c.id == first.c.created_by_user_id)
        .order_by(first.c.created_by_user_id.is_(None), first.c.created_by_user_id)
    )
    found: list[dict[str, Any]] = []
    for row in conn.execute(query):
        user_id = row.created_by_user_id
        name = _PSEUDO_USER_NAMES.get(user_id) or row.name or row.created_by
        shown = name or row.username or row.email
        if shown:
            found.append({"id": int(user_id or 0), "name": str(shown)})
    return found
