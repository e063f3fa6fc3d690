"""Lifecycle stages: read, complete and uncomplete, as Unleash's feature-lifecycle service.

Stages are entered where the change happens: `initial` when a flag is created or revived
(features.flags, archive.service), `archived` when it is archived, `completed` here, and
`pre-live` / `live` when SDK metrics arrive (`record_seen`, called by the metrics path).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from leash.db.base import iso
from leash.events import service as events
from leash.identity import Actor
from leash.lifecycle import repository
from leash.lifecycle.schemas import FeatureLifecycleCompleted


def stages(conn: Connection, *, name: str) -> list[dict[str, Any]]:
    """Every stage the flag entered, oldest first ([] for a flag that does not exist)."""
    return [_public(stage) for stage in repository.stages_of(conn, name=name)]


def current_stage(conn: Connection, *, name: str) -> dict[str, Any] | None:
    """The stage getFeature shows: the latest one entered, by Unleash's preference."""
    found = repository.current(repository.stages_of(conn, name=name))
    return None if found is None else _public(found)


def _public(stage: dict[str, Any]) -> dict[str, Any]:
    return {**stage, "enteredStageAt": iso(stage["enteredStageAt"])}


def complete(
    conn: Connection, *, name: str, project: str, body: FeatureLifecycleCompleted, actor: Actor
) -> None:
    """As Unleash: a flag that does not exist enters nothing, and its event is recorded all
    the same, in the path's project."""
    repository.enter(
        conn,
        names=[name],
        stage="completed",
        status=body["status"],
        status_value=body.get("statusValue"),
    )
    events.record(
        conn,
        actor=actor,
        type="feature-completed",
        data={**body, "kept": body["status"] == "kept"},
        project=project,
        feature_name=name,
        grouped=True,
    )


def uncomplete(conn: Connection, *, name: str, project: str, actor: Actor) -> None:
    repository.forget(conn, names=[name], stage="completed")
    events.record(
        conn,
        actor=actor,
        type="feature-uncompleted",
        project=project,
        feature_name=name,
        grouped=True,
    )


def stage_counts(conn: Connection) -> dict[str, int]:
    counts = repository.latest_stage_counts(conn)
    return {
        "initial": counts["initial"],
        "preLive": counts["pre-live"],
        "live": counts["live"],
        "completed": counts["completed"],
        "archived": counts["archived"],
    }


def record_seen(conn: Connection, *, environment: str, names: list[str]) -> None:
    """Unleash's featuresReceivedMetrics: flags SDKs reported metrics for in `environment`
    enter `pre-live`; in a production-type environment those enabled there enter `live` too.
    Unknown environments and flags enter nothing; a stage keeps the time first entered.
    Concurrent callers (other processes' metrics) may insert the same row: the loser's insert
    is rolled back to its savepoint and tried once more, when it finds the row and skips."""
    kind = repository.environment_type(conn, environment=environment)
    if kind is None or not names:
        return
    _enter_once(conn, names=names, stage="pre-live")
    if kind == "production":
        enabled = repository.enabled_in(conn, environment=environment, names=names)
        _enter_once(conn, names=enabled, stage="live")


def _enter_once(conn: Connection, *, names: list[str], stage: str) -> None:
    try:
        with conn.begin_nested():
            repository.enter(conn, names=names, stage=stage)
    except IntegrityError:
        with conn.begin_nested():
            repository.enter(conn, names=names, stage=stage)
