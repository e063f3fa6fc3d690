"""What changed for SDKs, written in the same transaction as the change, read by every process.

Each row names one flag or one segment whose served form may have changed (a row naming neither
means "anything may have changed"). Snapshots read the rows they have not applied yet and reload
only what they name. Events alone cannot say it: some writes have no event in Unleash (setting a
strategy's segments in bulk), and a write whose event Unleash drops as a no-op may still touch
rows.

Ids come from a sequence on PostgreSQL, so a lower id can commit after a higher one: readers
keep the ids of the recent window they have applied and look for ones they have not seen.
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import Column, Connection, Integer, String, Table, func, select

from leash.db.base import BigId, UtcDateTime, metadata, utcnow

# Ids committed this far below the top are still noticed.
WINDOW = 1_000

changes = Table(
    "changes",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("feature_name", String(255), nullable=True),
    Column("segment_id", Integer, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    sqlite_autoincrement=True,
)


class Change(NamedTuple):
    id: int
    feature_name: str | None
    segment_id: int | None


def note(
    conn: Connection, *, feature_name: str | None = None, segment_id: int | None = None
) -> None:
    conn.execute(
        changes.insert().values(
            feature_name=feature_name, segment_id=segment_id, created_at=utcnow()
        )
    )


def top_and_recent(conn: Connection) -> tuple[int, int]:
    top = int(conn.execute(select(func.coalesce(func.max(changes.c.id), 0))).scalar_one())
    recent = conn.execute(
        select(func.count()).select_from(changes).where(changes.c.id > top - WINDOW)
    ).scalar_one()
    return top, int(recent)


def read_window(conn: Connection, *, above: int) -> list[Change]:
    """Every change with an id above `above`, oldest first."""
    rows = conn.execute(
        select(changes.c.id, changes.c.feature_name, changes.c.segment_id)
        .where(changes.c.id > above)
        .order_by(changes.c.id)
    )
    return [Change(int(row.id), row.feature_name, row.segment_id) for row in rows]
