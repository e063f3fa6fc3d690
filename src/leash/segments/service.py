"""Segment rules: validation, limits, uniqueness, project scoping, events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from leash import constraint_rules
from leash.context import repository as context_repository
from leash.errors import (
    BadDataError,
    ExceedsLimitError,
    NameExistsError,
    NotFoundError,
    PlainStatus,
)
from leash.events import service as events
from leash.identity import Actor
from leash.projects import repository as projects
from leash.segments import repository
from leash.segments.schemas import UpsertSegment
from leash.validation import fits_int32


@dataclass(frozen=True)
class Limits:
    segment_values: int
    strategy_segments: int
    segments: int


def not_found(segment_id: int | str) -> NotFoundError:
    return NotFoundError(f'No segment exists with ID "{segment_id}"')


def get(conn: Connection, *, segment_id: int, lock: repository.Lock = None) -> dict[str, Any]:
    """The segment, or 404. Writes of a segment read it with lock "update", so an update and
    a delete of one segment run one after the other and the second sees what the first did;
    a strategy about to use it reads it with lock "share"."""
    # Segment ids are 32-bit serials: an id outside that range names no segment, and handing
    # it to the database driver would overflow (a 500) instead of answering 404.
    if not fits_int32(segment_id):
        raise not_found(segment_id)
    segment = repository.get(conn, segment_id=segment_id, lock=lock)
    if segment is None:
        raise not_found(segment_id)
    return segment


def list_all(conn: Connection) -> dict[str, Any]:
    return {"segments": repository.list_with_usage(conn)}


def validate_name(conn: Connection, *, name: str) -> None:
    if name == "":
        raise BadDataError.single("Segment name cannot be empty")
    if repository.name_exists(conn, name=name):
        raise _name_exists()


def _name_exists() -> NameExistsError:
    return NameExistsError("Segment name already exists")


def _check_body(conn: Connection, body: UpsertSegment, *, limits: Limits) -> list[dict[str, Any]]:
    """Joi schema, then each constraint's operator rules, then the values limit."""
    if body["name"] == "":
        raise BadDataError.many(
            [{"message": constraint_rules.joi_message("name", "is not allowed to be empty")}],
            with_id=False,
        )
    constraints: list[dict[str, Any]] = body["constraints"]
    constraint_rules.check_shape(constraints)
    legal = context_repository.legal_values(conn)
    for constraint in constraints:
        constraint_rules.validate_constraint(constraint, legal_values=legal)
    if constraint_rules.values_count(constraints) > limits.segment_values:
        raise BadDataError.single(f"Segments may not have more than {limits.segment_values} values")
    return [constraint_rules.normalise(c) for c in constraints]


def _project(conn: Connection, body: UpsertSegment) -> str | None:
    project = body.get("project") or None
    if project is not None and not projects.exists(conn, project_id=project):
        raise NotFoundError(f'Could not find project with id "{project}"')
    return project


def create(
    conn: Connection, *, body: UpsertSegment, actor: Actor, limits: Limits
) -> dict[str, Any]:
    repository.lock_creation(conn)
    if repository.count(conn) >= limits.segments:
        raise ExceedsLimitError(
            "Failed to create segment. You can't create more than the established limit of "
            f"{limits.segments}."
        )
    constraints = _check_body(conn, body, limits=limits)
    if repository.name_exists(conn, name=body["name"]):
        raise _name_exists()
    project = _project(conn, body)
    try:
        with conn.begin_nested():
            segment = repository.insert_segment(
                conn,
                name=body["name"],
                description=body.get("description"),
                project=project,
                constraints=constraints,
                created_by=actor.name,
            )
    except IntegrityError:
        # Another request took the name between our check and the insert.
        raise _name_exists() from None
    events.record(conn, actor=actor, type="segment-created", data=segment, project=project)
    return segment


def update(
    conn: Connection, *, segment_id: int, body: UpsertSegment, actor: Actor, limits: Limits
) -> None:
    constraints = _check_body(conn, body, limits=limits)
    previous = get(conn, segment_id=segment_id, lock="update")
    if body["name"] != previous["name"] and repository.name_exists(conn, name=body["name"]):
        raise _name_exists()
    project = _project(conn, body)
    if project is not None:
        using = repository.projects_using(conn, segment_id=segment_id)
        if any(p != project for p in using):
            raise BadDataError.single(
                "Invalid project. Segment is being used by strategies in other projects: "
                + ", ".join(using)
            )
    values: dict[str, Any] = {
        "name": body["name"],
        "constraints": constraints,
        "segment_project_id": project,
    }
    if "description" in body:
        values["description"] = body["description"]
    try:
        with conn.begin_nested():
            repository.update_segment(conn, segment_id=segment_id, values=values)
    except IntegrityError:
        raise _name_exists() from None
    current = get(conn, segment_id=segment_id)
    events.record(
        conn,
        actor=actor,
        type="segment-updated",
        data=current,
        pre_data=previous,
        project=project,
    )


def delete(conn: Connection, *, segment_id: int, actor: Actor) -> None:
    previous = get(conn, segment_id=segment_id, lock="update")
    if repository.strategies_using(conn, segment_id=segment_id):
        raise PlainStatus(409)
    repository.delete_segment(conn, segment_id=segment_id)
    events.record(
        conn,
        actor=actor,
        type="segment-deleted",
        pre_data=previous,
        project=previous.get("project"),
    )


def strategies_of_segment(conn: Connection, *, segment_id: int) -> dict[str, Any]:
    get(conn, segment_id=segment_id)
    return {
        "strategies": repository.strategies_using(conn, segment_id=segment_id),
        "changeRequestStrategies": [],
    }


def segments_of_strategy(conn: Connection, *, strategy_id: str) -> dict[str, Any]:
    return {"segments": repository.segments_of_strategy(conn, strategy_id=strategy_id)}


def check_strategy_segments(conn: Connection, *, segment_ids: list[int], limits: Limits) -> None:
    """Every id must name a segment; a strategy holds at most the configured number."""
    if len(segment_ids) > limits.strategy_segments:
        raise BadDataError.single(
            f"Strategies may not have more than {limits.strategy_segments} segments"
        )
    for segment_id in segment_ids:
        if not fits_int32(segment_id):
            raise not_found(segment_id)
    # Share-locked: a racing delete or move of one of them waits, then sees the new link.
    found = repository.get_many(conn, ids=segment_ids, lock="share")
    for segment_id in segment_ids:
        if segment_id not in found:
            raise not_found(segment_id)
