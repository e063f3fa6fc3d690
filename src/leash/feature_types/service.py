"""Flag types: their lifetimes, and what makes a flag potentially stale."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from leash.errors import NotFoundError
from leash.events import service as events
from leash.feature_types import repository
from leash.identity import Actor


def list_all(conn: Connection) -> dict[str, Any]:
    return {"version": 1, "types": repository.list_all(conn)}


def lifetimes(conn: Connection) -> dict[str, int | None]:
    """Each type's lifetime in days (None: never potentially stale), for `potentially_stale`."""
    return repository.lifetimes(conn)


def potentially_stale(*, created_at: datetime, lifetime_days: int | None, now: datetime) -> bool:
    """Unleash's test (its feature store's updatePotentiallyStaleFeatures): a flag is
    potentially stale once `now` is past its creation plus its type's lifetime; a type
    without a lifetime (None, stored for 0 too) never makes it so. Unleash applies it only
    to flags neither stale nor archived, and keeps the last value for those."""
    if lifetime_days is None:
        return False
    return now > created_at + timedelta(days=lifetime_days)


def update_lifetime(
    conn: Connection, *, type_id: str, lifetime_days: int | None, actor: Actor
) -> dict[str, Any]:
    # Unleash: ajv turns a null into 0, and 0 is stored as "no lifetime".
    lifetime = None if lifetime_days == 0 else lifetime_days
    previous = repository.get(conn, type_id=type_id, lock=True)
    if previous is None:
        raise NotFoundError(f'The feature type you tried to update ("{type_id}") does not exist.')
    repository.set_lifetime(conn, type_id=type_id, lifetime_days=lifetime)
    current = {**previous, "lifetimeDays": lifetime}
    # Unleash's event service drops an event whose data equals its preData.
    if current != previous:
        events.record(
            conn, actor=actor, type="feature-type-updated", data=current, pre_data=previous
        )
    return current
