"""What changed for SDKs, written in the same transaction as the change, read by every process.

Each row names one flag or one segment whose served form may have changed (a row naming neither
means "anything may have changed"). Snapshots read the rows they have not applied yet and reload
only what they name. Events alone cannot say it: some writes have no event in Unleash (setting a
strategy's segments in bulk), and a write whose event Unleash drops as a no-op may still touch
rows.

Ids come from a sequence on PostgreSQL, so a lower id can commit after a higher one: readers
keep the ids of the recent window they have applied and look for ones they have not seen.

The log is pruned behind its readers. Each process's revision watcher records in
`change_readers` the highest id it has applied and a heartbeat (the database's clock, so hosts'
clocks do not matter). Rows more than WINDOW below the lowest applied id of the live readers
(heartbeat within LIVENESS_SECONDS) are deleted: a live reader reads from its top minus WINDOW,
so it never looks below that, and revision counts, which look WINDOW below the log's top, never
see a pruned id either. A reader that was not live for longer than that may have lost rows it
needed: it reloads in full before it reads the log again (leash.revision.RevisionWatcher).
"""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Connection,
    Integer,
    String,
    Table,
    cast,
    func,
    select,
)

from leash.db.base import BigId, UtcDateTime, metadata, utcnow

# Ids committed this far below the top are still noticed.
WINDOW = 1_000
# A reader whose last heartbeat is older than this is not live: it holds no rows back.
LIVENESS_SECONDS = 60
# A reader not live for this long is forgotten (a process that stopped for good).
FORGET_READER_SECONDS = 24 * 3600

changes = Table(
    "changes",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("feature_name", String(255), nullable=True),
    Column("segment_id", Integer, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    sqlite_autoincrement=True,
)


change_readers = Table(
    "change_readers",
    metadata,
    # One per process (a fresh id at each start).
    Column("instance_id", String(64), primary_key=True),
    # The highest change id the reader's served state includes; it reads from WINDOW below.
    Column("applied_id", BigInteger, nullable=False),
    # Milliseconds since the epoch, by the database's clock.
    Column("heartbeat_ms", BigInteger, nullable=False),
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


def _db_now_ms(conn: Connection) -> ColumnElement[int]:
    """The database's clock in epoch milliseconds: one clock for every host."""
    if conn.dialect.name == "postgresql":
        return cast(func.extract("epoch", func.clock_timestamp()) * 1000, BigInteger)
    return cast((func.julianday("now") - 2440587.5) * 86_400_000, BigInteger)


def heartbeat(conn: Connection, *, instance_id: str, applied_id: int) -> None:
    """Record that `instance_id` is live and has applied the log up to `applied_id`."""
    now = _db_now_ms(conn)
    updated = conn.execute(
        change_readers.update()
        .where(change_readers.c.instance_id == instance_id)
        .values(applied_id=applied_id, heartbeat_ms=now)
    )
    if updated.rowcount == 0:
        conn.execute(
            change_readers.insert().values(
                instance_id=instance_id, applied_id=applied_id, heartbeat_ms=now
            )
        )


def prune(conn: Connection) -> int:
    """Delete the rows no live reader will read again; returns how many went."""
    now = _db_now_ms(conn)
    conn.execute(
        change_readers.delete().where(
            change_readers.c.heartbeat_ms < now - FORGET_READER_SECONDS * 1000
        )
    )
    lowest = conn.execute(
        select(func.min(change_readers.c.applied_id)).where(
            change_readers.c.heartbeat_ms >= now - LIVENESS_SECONDS * 1000
        )
    ).scalar()
    if lowest is None:
        return 0  # no live reader: keep everything
    # Strictly below `lowest - WINDOW`: read_mark reads ids above `top - WINDOW`.
    deleted = conn.execute(changes.delete().where(changes.c.id < int(lowest) - WINDOW))
    return int(deleted.rowcount)
