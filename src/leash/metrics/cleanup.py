"""Unleash's clearMetrics job: hourly client metrics older than 48 hours are deleted, skipped
in maintenance mode as Unleash's scheduler skips every job then."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine

from leash.maintenance.service import scheduled
from leash.metrics import service
from leash.periodic import Periodic

# Unleash runs it every 12 hours; hourly here, so a process restarted more often still runs it.
INTERVAL_SECONDS = 3600.0


def run_once(engine: Engine, *, now: datetime | None = None) -> int:
    """How many hourly rows were deleted (0 in maintenance mode)."""
    return scheduled(engine, work=lambda conn: service.clean_up(conn, now=now), skipped=0)


def job(engine: Engine, *, interval: float = INTERVAL_SECONDS) -> Periodic:
    return Periodic(name="leash-metrics-clean-up", interval=interval, tick=lambda: run_once(engine))
