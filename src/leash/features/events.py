"""Flag events: what a flag or strategy write records, in the write's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from leash import changelog
from leash.events import service as events
from leash.features import repository
from leash.identity import Actor


def record(
    conn: Connection,
    *,
    actor: Actor,
    type: str,
    feature_name: str,
    project: str,
    environment: str | None = None,
    data: Any = None,
    pre_data: Any = None,
    grouped: bool = True,
) -> None:
    """`grouped`: Unleash runs most flag writes in a transaction that groups their events; its
    variant routes are the exception."""
    # Unleash drops an event whose data equals its preData: a no-op change leaves no trace.
    if data is not None and pre_data is not None and data == pre_data:
        # Except in the change log: rows the event does not describe may still have moved.
        changelog.note(conn, feature_name=feature_name)
        return
    events.record(
        conn,
        actor=actor,
        type=type,
        data=data,
        pre_data=pre_data,
        project=project,
        feature_name=feature_name,
        environment=environment,
        tags=repository.tags_of(conn, name=feature_name),
        grouped=grouped,
    )
