"""Integrations fed after commit: the unit of work hands each committed write's event ids to
`Deliveries.submit`, which only queues them (bounded, never waiting); one worker thread loads
the events and the enabled addons, delivers to every addon whose events, projects and
environments match (Unleash's filters), and records an integration event per delivery. A slow
or dead target delays only the worker, never a write; when the queue is full, events are
dropped and logged."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from sqlalchemy import Engine

from leash.addons import repository, webhook
from leash.db.base import utcnow
from leash.events.formatter import Formatter
from leash.maintenance import service as maintenance
from leash.periodic import Periodic

log = logging.getLogger("leash.addons")

WILDCARD: Final = "*"
QUEUE_SIZE: Final = 1000

Provider = Callable[..., webhook.Outcome]
# Providers that deliver; the others are listed and configurable but send nothing (yet).
PROVIDERS: Final[dict[str, Provider]] = {"webhook": webhook.handle}


def _matches(addon: dict[str, Any], event: dict[str, Any]) -> bool:
    if event["type"] not in addon["events"]:
        return False
    for key, wanted in (("project", addon["projects"]), ("environment", addon["environments"])):
        value = event.get(key)
        if value and wanted and wanted[0] != WILDCARD and value not in wanted:
            return False
    return addon["provider"] in PROVIDERS


@dataclass
class Deliveries:
    engine: Engine
    unleash_url: str
    sender: webhook.Sender = field(default_factory=webhook.Sender)
    _queue: queue.Queue[list[int] | None] = field(
        default_factory=lambda: queue.Queue(maxsize=QUEUE_SIZE)
    )
    _thread: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def submit(self, event_ids: list[int]) -> None:
        """Called after a commit, in the writer's thread: queue and return."""
        try:
            self._queue.put_nowait(list(event_ids))
        except queue.Full:
            log.warning("Integration queue full: events %s not delivered", event_ids)
            return
        self._start()

    def join(self) -> None:
        """Until every queued event was delivered (tests, shutdown)."""
        self._queue.join()

    def stop(self) -> None:
        self.sender.stopping.set()
        thread = self._thread
        if thread is not None:
            self._queue.put(None)
            thread.join(timeout=5)

    def _start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="leash-addons", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            ids = self._queue.get()
            try:
                if ids is None:
                    return
                self._deliver(ids)
            except Exception:  # one bad batch never stops the worker
                log.exception("Integration delivery failed for events %s", ids)
            finally:
                self._queue.task_done()

    def _deliver(self, ids: list[int]) -> None:
        with self.engine.connect() as conn:
            addons = repository.all_addons(conn, enabled_only=True)
            if not addons:
                return
            events = repository.events_by_ids(conn, ids=ids)
        formatter = Formatter(unleash_url=self.unleash_url)
        for event in events:
            for addon in addons:
                if _matches(addon, event):
                    self._one(addon, event, markdown=formatter.format(event)[1])

    def _one(self, addon: dict[str, Any], event: dict[str, Any], *, markdown: str) -> None:
        outcome = PROVIDERS[addon["provider"]](
            event, parameters=addon["parameters"], markdown=markdown, sender=self.sender
        )
        with self.engine.begin() as conn:
            if repository.get(conn, addon_id=addon["id"]) is None:
                return  # deleted while it was delivering
            repository.insert_integration_event(
                conn,
                integration_id=addon["id"],
                state=outcome.state,
                state_details=outcome.state_details,
                event=event,
                details=outcome.details,
            )


CLEAN_UP_SECONDS: Final = 15 * 60.0


def clean_up(engine: Engine, *, now: datetime | None = None) -> int:
    """One run of Unleash's integration-events clean-up: the number of rows deleted."""
    return maintenance.scheduled(
        engine,
        work=lambda conn: repository.clean_up_integration_events(conn, now=now or utcnow()),
        skipped=0,
    )


def clean_up_job(engine: Engine) -> Periodic:
    return Periodic(
        name="leash-integration-events", interval=CLEAN_UP_SECONDS, tick=lambda: clean_up(engine)
    )


def install(state: Any) -> Deliveries:
    """Deliveries for this app, fed with each committed write's event ids."""
    settings = state.settings
    deliveries = Deliveries(
        engine=state.db,
        unleash_url=settings.unleash_url,
        sender=webhook.Sender(allow_private=settings.unleash_allow_private_url_in_integration),
    )
    state.addon_deliveries = deliveries
    state.event_listeners.append(deliveries.submit)
    return deliveries
