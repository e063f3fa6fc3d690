"""One truth for many processes: a revision of everything SDKs are served, read from the database.

Every write that changes what SDKs see (flags, strategies, segments, API tokens) writes an event
in its own transaction, so the events table says when the served state changed. The highest
event id alone is not enough on PostgreSQL: ids come from a sequence, so a transaction holding
id 10 can commit after the one holding id 11, and a reader that saw 11 would miss 10 forever.
Counting the recent ids as well catches such a late commit: it changes the count, not the top.
The change log (leash.changelog) is read the same way: it also moves on writes that have no event.

A `RevisionWatcher` thread reads the revision a few times a second and tells its listeners when it
moved; a failed read (the database is down) changes nothing, so caches keep serving what they
hold. The same thread keeps the change log bounded: it heartbeats what its process has applied
and now and then prunes what no live process will read again (leash.changelog). A process that
could not heartbeat for long enough to be thought dead (a long outage, a paused process) asks
for a full reload before trusting the log again.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from typing import NamedTuple

from sqlalchemy import Connection, Engine, func, select

from leash import changelog
from leash.changelog import changes
from leash.events.models import events
from leash.periodic import Periodic

log = logging.getLogger("leash.revision")

# A write in another process is served within this plus one incremental rebuild.
POLL_SECONDS = 0.1
# Ids handed out this far below the top and committed later still change the revision.
LATE_COMMIT_WINDOW = 10_000
# How often a process records what it has applied, and prunes the change log.
HEARTBEAT_SECONDS = 5.0
PRUNE_SECONDS = 60.0
# A process whose last heartbeat is older than this may have been thought dead by the others
# (changelog.LIVENESS_SECONDS, by the database's clock): half of it, for the margin between
# our clock and the database's and the time a heartbeat takes to commit.
STALE_SECONDS = changelog.LIVENESS_SECONDS / 2


def _uptime() -> float:
    """Seconds that also run while the machine sleeps (a suspended VM or laptop): a process
    woken after a long suspend must know it was silent. CLOCK_BOOTTIME is Linux's."""
    return time.clock_gettime(time.CLOCK_BOOTTIME)


SILENCE_CLOCK: Callable[[], float] = _uptime if hasattr(time, "CLOCK_BOOTTIME") else time.monotonic


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
    """Polls the revision in a daemon thread and calls `listener(revision)` when it moves.

    `applied()` says which change id the process's served state includes (None: nothing
    loaded yet, so anything it loads later is a full load); `resync()` reloads that state in
    full, called when this process may have missed pruned rows.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        listeners: list[Callable[[Revision], None]],
        interval: float = POLL_SECONDS,
        applied: Callable[[], int | None] | None = None,
        resync: Callable[[], None] | None = None,
        heartbeat_seconds: float = HEARTBEAT_SECONDS,
        prune_seconds: float = PRUNE_SECONDS,
        clock: Callable[[], float] = SILENCE_CLOCK,
    ) -> None:
        self._engine = engine
        self._listeners = listeners
        self._applied = applied
        self._resync = resync
        self.heartbeat_seconds = heartbeat_seconds
        self.prune_seconds = prune_seconds
        self.clock = clock
        self.instance_id = uuid.uuid4().hex
        self._poller = Periodic(name="leash-revision", interval=interval, tick=self.poll_once)
        self._failing = False
        # Our clock when the last heartbeat that was written started; None: none yet.
        self._last_beat: float | None = None
        self._last_prune: float | None = None
        self._beat_failing = False
        self._reloading = False
        self.revision = UNKNOWN
        # Full reloads asked for because this process was not live, for tests and logs.
        self.resyncs = 0

    def start(self) -> None:
        if self._poller.running:
            return
        # The first heartbeat before serving: until one is written, others may prune rows
        # this process has not read, so the change log is not trusted (live()).
        try:
            with self._engine.connect() as conn:
                revision = read_revision(conn)
        except Exception as error:
            log.warning("cannot read the state revision: %s", error.__class__.__name__)
        else:
            self._beat(revision, self.clock())
        self._poller.start()

    def stop(self) -> None:
        self._poller.stop()

    def live(self) -> bool:
        """False before this process's first heartbeat, and when the others may have thought
        it dead since its last one: rows it has not read may be gone, so the change log is not
        trusted (every rebuild is a full one) until a heartbeat is written again."""
        return (
            not self._reloading
            and self._last_beat is not None
            and self.clock() - self._last_beat <= STALE_SECONDS
        )

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
        now = self.clock()
        if not self.live():
            # Others may have pruned rows we have not read. Say we are live first (so nothing
            # more goes while we reload), then reload everything; only then follow the log.
            # While no heartbeat can be written, listeners still follow the revision: with the
            # log untrusted, their rebuilds are full ones.
            last = self._last_beat
            # Not live until the reload is done, though the heartbeat is written first: a
            # local write's rebuild in between must not trust the log either.
            self._reloading = True
            try:
                if self._beat(revision, now):
                    self.resyncs += 1
                    if last is not None:
                        log.warning(
                            "no heartbeat for %.0f s: reloading everything before reading the "
                            "change log",
                            now - last,
                        )
                    if self._resync is not None:
                        self._resync()
            finally:
                self._reloading = False
        # Listeners compare with what they hold, so a revision they built themselves is a no-op.
        self.revision = revision
        for listener in self._listeners:
            try:
                listener(revision)
            except Exception:
                log.exception("revision listener failed")
        if self._last_beat is None or now - self._last_beat >= self.heartbeat_seconds:
            self._beat(revision, now)
        if self._last_prune is None or now - self._last_prune >= self.prune_seconds:
            self._prune(now)

    def _beat(self, revision: Revision, now: float) -> bool:
        applied = self._applied() if self._applied is not None else None
        # Nothing loaded yet: whatever loads later is a full load, so the top is as good.
        applied_id = revision.changes_top if applied is None else applied
        try:
            with self._engine.begin() as conn:
                changelog.heartbeat(conn, instance_id=self.instance_id, applied_id=applied_id)
        except Exception as error:
            if not self._beat_failing:
                log.warning("cannot record the change-log heartbeat: %s", error.__class__.__name__)
            self._beat_failing = True
            return False
        self._beat_failing = False
        self._last_beat = now
        return True

    def _prune(self, now: float) -> None:
        self._last_prune = now
        try:
            with self._engine.begin() as conn:
                changelog.prune(conn)
        except Exception as error:
            log.warning("cannot prune the change log: %s", error.__class__.__name__)
