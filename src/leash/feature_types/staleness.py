"""Unleash's potentially-stale job (its feature store's updatePotentiallyStaleFeatures, run
every minute): each flag neither stale nor archived is potentially stale once now is past its
creation plus its type's lifetime. A flag that becomes so gets `potentially_stale` set and a
`feature-potentially-stale-on` event by the system user; one that stops being so (its type's
lifetime grew) gets it cleared, with no event. Stale and archived flags keep their last value."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Engine, false, or_, select, true, update

from leash.db.base import utcnow
from leash.events import service as events
from leash.feature_types import repository as types
from leash.feature_types.service import potentially_stale
from leash.features.models import features
from leash.identity import SYSTEM_ACTOR
from leash.maintenance import service as maintenance
from leash.periodic import Periodic

EVENT = "feature-potentially-stale-on"
INTERVAL_SECONDS = 60.0


def _set(conn: Connection, *, name: str, value: bool) -> bool:
    """Set the flag's mark if it still differs; False when another process got there first
    (so each change writes its event once, whichever process runs the job)."""
    differs = (
        features.c.potentially_stale.is_(None) | (features.c.potentially_stale == false())
        if value
        else features.c.potentially_stale == true()
    )
    result = conn.execute(
        update(features)
        .where(features.c.name == name, differs, features.c.archived_at.is_(None))
        .values(potentially_stale=value)
    )
    return result.rowcount == 1


def update_potentially_stale(conn: Connection, *, now: datetime) -> list[str]:
    """One run of the job; the names of the flags that became potentially stale."""
    lifetimes = types.lifetimes(conn)
    query = select(
        features.c.name,
        features.c.project,
        features.c.type,
        features.c.created_at,
        features.c.potentially_stale,
    ).where(
        or_(features.c.stale.is_(None), features.c.stale == false()),
        features.c.archived_at.is_(None),
    )
    became = []
    for row in conn.execute(query).all():
        # Unleash: a type it has no row for has no lifetime (NULL), so never stale.
        current = potentially_stale(
            created_at=row.created_at, lifetime_days=lifetimes.get(row.type), now=now
        )
        if current == bool(row.potentially_stale):
            continue
        if _set(conn, name=row.name, value=current) and current:
            events.record(
                conn, actor=SYSTEM_ACTOR, type=EVENT, project=row.project, feature_name=row.name
            )
            became.append(row.name)
    return became


def run_once(engine: Engine, *, now: datetime | None = None) -> list[str]:
    """One run: the names of the flags that became potentially stale."""
    return maintenance.scheduled(
        engine,
        work=lambda conn: update_potentially_stale(conn, now=now or utcnow()),
        skipped=[],
    )


def job(engine: Engine, *, interval: float = INTERVAL_SECONDS) -> Periodic:
    """The job every `interval` seconds. Its events move the revision, so every process's SDK
    views follow as for any other write."""
    return Periodic(name="leash-stale", interval=interval, tick=lambda: run_once(engine))
