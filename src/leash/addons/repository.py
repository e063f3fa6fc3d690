"""SQL for addon configurations and their integration events."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import Connection, delete, func, insert, select, union, update

from leash.addons.models import addons, integration_events
from leash.db.base import iso, utcnow
from leash.events.models import events
from leash.events.repository import to_json as event_json


def to_json(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "provider": row.provider,
        "enabled": row.enabled,
        "description": row.description,
        "parameters": row.parameters,
        "events": row.events,
        "projects": row.projects or [],
        "environments": row.environments or [],
        "createdAt": iso(row.created_at),
    }


def all_addons(conn: Connection, *, enabled_only: bool = False) -> list[dict[str, Any]]:
    query = select(addons).order_by(addons.c.id)
    if enabled_only:
        query = query.where(addons.c.enabled.is_(True))
    return [to_json(row) for row in conn.execute(query)]


def get(conn: Connection, *, addon_id: int) -> dict[str, Any] | None:
    row = conn.execute(select(addons).where(addons.c.id == addon_id)).one_or_none()
    return None if row is None else to_json(row)


def _values(config: dict[str, Any]) -> dict[str, Any]:
    return {
        "provider": config["provider"],
        "enabled": config["enabled"],
        "description": config.get("description"),
        "parameters": config["parameters"],
        "events": config["events"],
        "projects": config.get("projects") or [],
        "environments": config.get("environments") or [],
    }


def insert_addon(conn: Connection, *, config: dict[str, Any]) -> dict[str, Any]:
    result = conn.execute(
        insert(addons).values(**_values(config), created_at=utcnow()).returning(addons.c.id)
    )
    stored = get(conn, addon_id=int(result.scalar_one()))
    assert stored is not None
    return stored


def update_addon(conn: Connection, *, addon_id: int, config: dict[str, Any]) -> dict[str, Any]:
    conn.execute(update(addons).where(addons.c.id == addon_id).values(**_values(config)))
    stored = get(conn, addon_id=addon_id)
    assert stored is not None
    return stored


def delete_addon(conn: Connection, *, addon_id: int) -> None:
    conn.execute(delete(integration_events).where(integration_events.c.integration_id == addon_id))
    conn.execute(delete(addons).where(addons.c.id == addon_id))


def insert_integration_event(
    conn: Connection,
    *,
    integration_id: int,
    state: str,
    state_details: str,
    event: dict[str, Any],
    details: dict[str, Any],
) -> None:
    conn.execute(
        insert(integration_events).values(
            integration_id=integration_id,
            created_at=utcnow(),
            state=state,
            state_details=state_details,
            event=event,
            details=details,
        )
    )


# Unleash's cleanUpEvents (every 15 minutes): the latest 100 deliveries of the last 2 hours
# and each integration's latest one stay; the rest go.
KEEP_RECENT: Final = 100
RECENT: Final = timedelta(hours=2)


def clean_up_integration_events(conn: Connection, *, now: datetime) -> int:
    """Delete what Unleash's clean-up deletes; the number of rows deleted."""
    recent = (
        select(integration_events.c.id)
        .where(integration_events.c.created_at >= now - RECENT)
        .order_by(integration_events.c.id.desc())
        .limit(KEEP_RECENT)
        .subquery()
    )
    latest = select(func.max(integration_events.c.id).label("id")).group_by(
        integration_events.c.integration_id
    )
    kept = union(select(recent.c.id), latest).subquery()
    result = conn.execute(
        delete(integration_events).where(integration_events.c.id.not_in(select(kept.c.id)))
    )
    return result.rowcount


def integration_events_page(
    conn: Connection, *, integration_id: int, limit: int, offset: int
) -> list[dict[str, Any]]:
    query = (
        select(integration_events)
        .where(integration_events.c.integration_id == integration_id)
        .order_by(integration_events.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return [
        {
            "id": str(row.id),
            "integrationId": row.integration_id,
            "createdAt": iso(row.created_at),
            "state": row.state,
            "stateDetails": row.state_details,
            "event": row.event,
            "details": row.details,
        }
        for row in conn.execute(query)
    ]


def events_by_ids(conn: Connection, *, ids: list[int]) -> list[dict[str, Any]]:
    """The events as Unleash hands them to addons (its rowToEvent), oldest first."""
    query = select(events).where(events.c.id.in_(ids)).order_by(events.c.id)
    return [event_json(row) for row in conn.execute(query)]
