"""One truth for many processes: a revision of everything SDKs are served, read from the database.

Every write that changes what SDKs see (flags, strategies, segments, API tokens) writes an event
in its own transaction, so the events table says when the served state changed. The highest
event id alone is not enough on PostgreSQL: ids come from a sequence, so a transaction holding
id 10 can commit after the one holding id 11, and a reader that saw 11 would miss 10 forever.
Counting the recent ids as well catches such a late commit: it changes the count, not the top.
The change log (leash.changelog) is read the same way: it also moves on writes that have no event.

A `RevisionWatcher` thread reads the revision a few times a second and tells its listeners when it
moved; a failed read (the database is down) changes nothing, so caches keep serving what they
hold.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import NamedTuple

from sqlalchemy import Connection, Engine, func, select

from leash import changelog
from leash.changelog import changes
from leash.events.models import events

log = logging.getLogger("leash.revision")

# A write in another process is served within this plus one incremental rebuild.
POLL_SECONDS = 0.1
# Ids handed out this far below the top and committed later still change the revision.
LATE_COMMIT_WINDOW = 10_000


class Revision(NamedTuple):
    top: int
    recent: int
    # The same pair for the change log (leash.changelog), which some writes touch without an
    # event (Unleash records none for them).
    changes_top: int = 0
    changes_recent: int = 0


UNKNOWN = Revision(-1, -1, -1, -1)


def read_events_revision(conn: Connection) -> tuple[int, int]:
    top = int(conn.execute(select(func.coalesce(func.max(events.c.id), 0))).scalar_one())
    recent = conn.execute(
        select(func.count()).select_from(events).where(events.c.id > top - LATE_COMMIT_WINDOW)
    ).scalar_one()
    return top, int(recent)


def read_revision(conn: Connection) -> Revision:
    # One round trip: the watcher runs this several times a second in every worker.
    event_top = select(func.coalesce(func.max(events.c.id), 0)).scalar_subquery()
    change_top = select(func.coalesce(func.max(changes.c.id), 0)).scalar_subquery()
    row = conn.execute(
        select(
            event_top,
            select(func.count())
            .select_from(events)
            .where(events.c.id > event_top - LATE_COMMIT_WINDOW)
            .scalar_subquery(),
            change_top,
            select(func.count())
            .select_from(changes)
            .where(changes.c.id > change_top - changelog.WINDOW)
            .scalar_subquery(),
        )
    ).one()
    return Revision(*(int(value) for value in row))


class RevisionWatcher:
    """Polls the revision in a daemon thread and calls `listener(revision)` when it moves."""

    def __init__(
        self,
        engine: Engine,
        *,
        listeners: list[Callable[[Revision], None]],
        interval: float = POLL_SECONDS,
    ) -> None:
        self._engine = engine
        self._listeners = listeners
        self._interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._failing = False
        self.revision = UNKNOWN

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="leash-revision", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def poll_once(self) -> None:
        try:
            with self._engine.connect() as conn:
                revision = read_revision(conn)
        except Exception as error:
            if not self._failing:
                log.warning("cannot read the state revision: %s", error.__class__.__name__)
            self._failing = True
            return
        if self._failing:
            log.warning("state revision readable again")
            self._failing = False
        # Listeners compare with what they hold, so a revision they built themselves is a no-op.
        self.revision = revision
        for listener in self._listeners:
            try:
                listener(revision)
            except Exception:
                log.exception("revision listener failed")

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self.poll_once()
