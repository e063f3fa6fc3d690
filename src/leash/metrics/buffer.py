"""What SDKs register and report is remembered in memory and written in one transaction every
few seconds (Unleash's bulkAdd jobs), so a burst of SDK instances is not a write per request.

One entry per application and instance (Unleash's `appName_instanceId` key): a later
registration or report of the same instance is merged into it. The buffer holds at most
`max_keys` instances, `max_keys` flag/environment pairs and `max_keys` unknown flags: past
that, new keys are dropped (and counted) until the next flush, so hostile SDK traffic cannot
grow memory without limit.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine

from leash.db.base import iso, utcnow
from leash.events import service as events
from leash.identity import SYSTEM_ACTOR
from leash.maintenance.service import scheduled
from leash.metrics import repository
from leash.metrics.seen import SYSTEM_USER, Seen
from leash.periodic import Periodic

log = logging.getLogger("leash.metrics")


@dataclass
class Batch:
    instances: list[Seen]
    flags_seen: list[tuple[str, str]]
    # (name, app, environment) -> when it was last reported.
    unknown: dict[tuple[str, str, str], datetime]
    at: datetime


# What the tables hold (String(255) names, String(100) environments): a longer value would fail
# the whole batch on PostgreSQL, so it is never buffered.
MAX_NAME = 255
MAX_ENVIRONMENT = 100


def _fits(*names: str, environment: str) -> bool:
    return len(environment) <= MAX_ENVIRONMENT and all(len(name) <= MAX_NAME for name in names)


class Registrations:
    """Thread-safe: request handlers add, the flush job takes."""

    def __init__(self, *, max_keys: int) -> None:
        self.max_keys = max_keys
        self._lock = threading.Lock()
        self._instances: dict[tuple[str, str], Seen] = {}
        self._flags: dict[tuple[str, str], None] = {}
        self._unknown: dict[tuple[str, str, str], datetime] = {}
        self.dropped = 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._instances) + len(self._flags) + len(self._unknown)

    def register(
        self,
        *,
        app_name: str,
        instance_id: str,
        environment: str,
        client_ip: str | None,
        sdk_version: str | None,
        sdk_type: str,
        strategies: list[str] | None,
        projects: list[str],
    ) -> None:
        """An SDK's registration. As Unleash, an instance already waiting keeps its environment."""
        if not _fits(app_name, instance_id, *projects, environment=environment):
            return
        key = (app_name, instance_id)
        with self._lock:
            current = self._instances.get(key)
            if current is None:
                if not self._room(len(self._instances)):
                    return
                current = self._instances[key] = Seen(
                    app_name=app_name, instance_id=instance_id, environment=environment
                )
            current.client_ip = client_ip
            if sdk_version is not None:
                current.sdk_version = sdk_version
            current.sdk_type = sdk_type
            if strategies is not None:
                current.strategies = list(strategies)
            current.projects = list(projects)
            current.created_by = SYSTEM_USER

    def seen(
        self, *, app_name: str, instance_id: str, environment: str, client_ip: str | None
    ) -> None:
        """An instance that reported metrics: its application, environment and address only."""
        if not _fits(app_name, instance_id, environment=environment):
            return
        key = (app_name, instance_id)
        with self._lock:
            current = self._instances.get(key)
            if current is None:
                if not self._room(len(self._instances)):
                    return
                self._instances[key] = Seen(
                    app_name=app_name,
                    instance_id=instance_id,
                    environment=environment,
                    client_ip=client_ip,
                )
                return
            # A metrics report names its environment (Unleash's registerInstance merges it).
            current.environment = environment
            current.client_ip = client_ip

    def flag_seen(self, *, feature_name: str, environment: str) -> None:
        key = (feature_name, environment)
        with self._lock:
            if key not in self._flags and not self._room(len(self._flags)):
                return
            self._flags[key] = None

    def unknown_flag(
        self, *, name: str, app_name: str, environment: str, seen_at: datetime
    ) -> None:
        """A name reported that is no flag (Unleash's unknown flags)."""
        if not _fits(name, app_name, environment=environment):
            return
        key = (name, app_name, environment)
        with self._lock:
            if key not in self._unknown and not self._room(len(self._unknown)):
                return
            self._unknown[key] = seen_at

    def _room(self, size: int) -> bool:
        if size < self.max_keys:
            return True
        self.dropped += 1
        return False

    def take(self) -> Batch:
        with self._lock:
            batch = Batch(
                instances=list(self._instances.values()),
                flags_seen=list(self._flags),
                unknown=self._unknown,
                at=utcnow(),
            )
            self._instances = {}
            self._flags = {}
            self._unknown = {}
            dropped, self.dropped = self.dropped, 0
        if dropped:
            log.warning("metrics buffer full: %d registrations or reports dropped", dropped)
        return batch

    def write(self, conn: Connection) -> int:
        """Everything waiting, written in `conn`'s transaction; how many entries it held."""
        batch = self.take()
        if batch.instances:
            repository.bulk_register(conn, instances=batch.instances, now=batch.at)
        if batch.flags_seen:
            repository.mark_seen(conn, pairs=batch.flags_seen, now=batch.at)
        if batch.unknown:
            repository.upsert_unknown(conn, seen=batch.unknown)
        announce(conn)
        return len(batch.instances) + len(batch.flags_seen) + len(batch.unknown)

    def flush(self, engine: Engine) -> int:
        """Write what is waiting, unless maintenance mode is on (Unleash's scheduler skips its
        jobs then; what waits is kept, up to the bound)."""
        return scheduled(engine, work=self.write, skipped=0)


def announce(conn: Connection) -> int:
    """Unleash's announceUnannounced: one application-created event per new application (SDK
    registered or created by an admin), by its system user."""
    rows = repository.take_unannounced(conn)
    for row in rows:
        events.record(
            conn,
            actor=SYSTEM_ACTOR,
            type="application-created",
            data={
                "appName": row.app_name,
                "createdAt": iso(row.created_at),
                "updatedAt": iso(row.updated_at),
                "description": row.description,
                "strategies": row.strategies or [],
                "createdBy": row.created_by,
                "url": row.url,
                "color": row.color,
                "icon": row.icon,
            },
        )
    return len(rows)


def job(engine: Engine, registrations: Registrations, *, interval: float) -> Periodic:
    return Periodic(
        name="leash-metrics-flush", interval=interval, tick=lambda: registrations.flush(engine)
    )
