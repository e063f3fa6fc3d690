"""Strategies of a flag in one environment: add, read, update, delete, and their segments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from ulid import ULID

from leash.errors import (
    ArchivedFeatureError,
    BadDataError,
    ExceedsLimitError,
    InvalidOperationError,
    NotFoundError,
    PlainStatus,
)
from leash.features import parameters as parameter_rules
from leash.features import repository
from leash.features.checks import (
    check_constraints,
    check_segments,
    check_strategy_type,
    checked_variants,
    strategy_parameters,
)
from leash.features.events import record
from leash.features.flags import in_project
from leash.features.schemas import CreateFeatureStrategy, UpdateFeatureStrategy
from leash.features.views import strategy_event_json, strategy_json, stringify
from leash.identity import Actor
from leash.segments import repository as segments_repository
from leash.segments import service as segments

# Unleash's limit (its default; leash has no setting for it yet).
STRATEGIES_PER_ENVIRONMENT = 30


@dataclass(frozen=True)
class Limits:
    strategy_segments: int


def _strategy_or_404(conn: Connection, *, strategy_id: str, separator: str) -> Any:
    row = repository.get_strategy(conn, strategy_id=strategy_id)
    if row is None:
        raise NotFoundError(f"Could not find strategy with id{separator}{strategy_id}")
    return row


def _links(conn: Connection, strategy_id: str) -> list[int]:
    return segments_repository.segment_ids_of_strategy(conn, strategy_id=strategy_id)


def create_strategy(
    conn: Connection,
    *,
    project: str,
    name: str,
    environment: str,
    body: CreateFeatureStrategy,
    actor: Actor,
    limits: Limits,
) -> dict[str, Any]:
    in_project(conn, name=name, project=project)
    # Locked before counting, so racing adds see each other and the limit holds; and before
    # the segments, in the one lock order of strategy writes (_strategy_in_path).
    feature_environment = repository.lock_feature_environment(
        conn, name=name, environment=environment
    )
    check_strategy_type(conn, body["name"])
    segment_ids = body.get("segments")
    check_segments(conn, project=project, segment_ids=segment_ids)
    constraints = body.get("constraints") or []
    if constraints:
        constraints = check_constraints(conn, constraints, existing=[])
    parameters = strategy_parameters(
        name=name, strategy_name=body["name"], parameters=body.get("parameters")
    )
    parameter_rules.check(strategy_name=body["name"], parameters=parameters)
    variants = checked_variants(body.get("variants"))
    if len(
        repository.strategies_of(conn, names=[name], environment=environment, project=project)
    ) >= (STRATEGIES_PER_ENVIRONMENT):
        raise ExceedsLimitError(
            "Failed to create strategy. You can't create more than the established limit of "
            f"{STRATEGIES_PER_ENVIRONMENT}."
        )
    if feature_environment is None:
        raise BadDataError.single("You have not added the current environment to the project")
    sort_order = body.get("sortOrder")
    strategy_id = str(ULID())  # Unleash 8.2's strategy ids are ULIDs
    repository.insert_strategy(
        conn,
        strategy_id=strategy_id,
        name=name,
        project=project,
        environment=environment,
        strategy_name=body["name"],
        title=body.get("title"),
        disabled=bool(body.get("disabled") or False),
        parameters=parameters,
        constraints=constraints,
        variants=variants,
        sort_order=(
            int(sort_order)
            if sort_order is not None
            else repository.next_sort_order(conn, name=name, environment=environment)
        ),
        created_by_user_id=actor.user_id,
    )
    if isinstance(segment_ids, list):
        _set_segments(conn, strategy_id=strategy_id, segment_ids=segment_ids, limits=limits)
    row = _strategy_or_404(conn, strategy_id=strategy_id, separator=": ")
    linked = _links(conn, strategy_id)
    record(
        conn,
        actor=actor,
        type="feature-strategy-add",
        feature_name=name,
        project=project,
        environment=environment,
        data=strategy_event_json(row, linked),
    )
    return strategy_json(row, linked)


def _set_segments(
    conn: Connection, *, strategy_id: str, segment_ids: list[int], limits: Limits
) -> None:
    sent = [int(sid) for sid in segment_ids]
    # The limit counts the list as sent, repeats included, as Unleash 8.2 does; the links are
    # stored once each (Unleash answers a repeat within the limit with a 500 on create).
    segments.check_strategy_segments(
        conn,
        segment_ids=sent,
        limits=segments.Limits(
            segment_values=0, strategy_segments=limits.strategy_segments, segments=0
        ),
    )
    segments_repository.set_strategy_segments(
        conn, strategy_id=strategy_id, segment_ids=list(dict.fromkeys(sent))
    )


def strategy_to_relink(conn: Connection, *, strategy_id: str) -> Any:
    """The stored strategy POST /api/admin/segments/strategies changes, locked; 404 if none."""
    found = repository.get_strategy(conn, strategy_id=strategy_id)
    if found is None:
        raise NotFoundError(f"Could not find strategy with id {strategy_id}")
    # Its environment row first, then the strategy: the lock order of _strategy_in_path.
    repository.lock_feature_environment(
        conn, name=found.feature_name, environment=found.environment
    )
    row = repository.get_strategy(conn, strategy_id=strategy_id, for_update=True)
    if row is None:
        raise NotFoundError(f"Could not find strategy with id {strategy_id}")
    return row


def relink_segments(
    conn: Connection, *, strategy: Any, segment_ids: list[int], actor: Actor, limits: Limits
) -> None:
    """Replace a strategy's segments (the bulk segments endpoint), with the strategy's event.

    Unleash 8.2 writes no event for this write (checked on the reference); leash writes the
    feature-strategy-update a PUT of the strategy writes, because every change to what SDKs
    are served belongs in the audit log. `record` notes the change log either way (a no-op
    set drops the event, not the note), so other processes' snapshots see the new links.
    """
    previous = strategy_event_json(strategy, _links(conn, strategy.id))
    _set_segments(conn, strategy_id=strategy.id, segment_ids=segment_ids, limits=limits)
    # After the limit and existence checks of _set_segments, as every strategy write orders
    # them; a refusal rolls the new links back with the transaction. Unleash does not check
    # this here, but another project's segment would reach this project's SDK tokens.
    check_segments(conn, project=strategy.project_name, segment_ids=segment_ids)
    record(
        conn,
        actor=actor,
        type="feature-strategy-update",
        feature_name=strategy.feature_name,
        project=strategy.project_name,
        environment=strategy.environment,
        data=strategy_event_json(strategy, _links(conn, strategy.id)),
        pre_data=previous,
    )


def list_strategies(
    conn: Connection, *, project: str, name: str, environment: str
) -> list[dict[str, Any]]:
    if repository.feature_environment(conn, name=name, environment=environment) is None:
        raise NotFoundError(f"Feature {name} does not have environment {environment}")
    rows = repository.strategies_of(conn, names=[name], environment=environment, project=project)
    links = repository.segment_ids(conn, strategy_ids=[row.id for row in rows])
    return [
        {
            "id": row.id,
            "name": row.strategy_name,
            "constraints": row.constraints or [],
            "parameters": stringify(row.parameters),
            "variants": row.variants or [],
            "title": row.title,
            "disabled": bool(row.disabled),
            "sortOrder": row.sort_order,
            "milestoneId": None,
            "segments": links.get(row.id, []),
        }
        for row in rows
    ]


def get_strategy(
    conn: Connection, *, project: str, name: str, environment: str, strategy_id: str
) -> dict[str, Any]:
    row = _strategy_or_404(conn, strategy_id=strategy_id, separator=": ")
    if row.project_name != project or row.feature_name != name:
        # Unleash's answer to a strategy asked for through another flag or project.
        raise PlainStatus(403)
    _same_environment(row, environment=environment, separator=": ")
    return strategy_json(row, _links(conn, strategy_id))


def _same_context(row: Any, *, project: str, name: str) -> None:
    if row.project_name != project:
        raise InvalidOperationError("You can not change the projectId for an activation strategy.")
    if row.feature_name != name:
        raise InvalidOperationError(
            "You can not change the featureName for an activation strategy."
        )


def _same_environment(row: Any, *, environment: str, separator: str) -> None:
    """A strategy exists only in its own environment.

    Unleash 8.2 ignores the path's environment, so a change through development reaches a
    production strategy (and deleting it there leaves production on with no strategy, on for
    everyone). leash answers as if the strategy were not there; since the path's project and
    flag are checked too, the caller's permission (checked on the path) is the one on the
    stored strategy's project and environment.
    """
    if row.environment != environment:
        raise NotFoundError(f"Could not find strategy with id{separator}{row.id}")


def _strategy_in_path(
    conn: Connection, *, project: str, name: str, environment: str, strategy_id: str
) -> Any:
    """The strategy to change, locked, reached through its own project, flag and environment."""
    # The environment row first, as every strategy write takes it: one lock order, no deadlock.
    repository.lock_feature_environment(conn, name=name, environment=environment)
    row = repository.get_strategy(conn, strategy_id=strategy_id, for_update=True)
    if row is None:
        raise NotFoundError(f"Could not find strategy with id={strategy_id}")
    _same_context(row, project=project, name=name)
    _same_environment(row, environment=environment, separator="=")
    return row


def update_strategy(
    conn: Connection,
    *,
    project: str,
    name: str,
    environment: str,
    strategy_id: str,
    body: UpdateFeatureStrategy,
    actor: Actor,
    limits: Limits,
) -> dict[str, Any]:
    existing = _strategy_in_path(
        conn, project=project, name=name, environment=environment, strategy_id=strategy_id
    )
    check_strategy_type(conn, body.get("name"))
    segment_ids = body.get("segments")
    check_segments(conn, project=project, segment_ids=segment_ids)
    previous = strategy_event_json(existing, _links(conn, strategy_id))
    constraints = body.get("constraints") or []
    if constraints:
        constraints = check_constraints(conn, constraints, existing=existing.constraints or [])
    parameters = strategy_parameters(
        name=name, strategy_name=body.get("name"), parameters=body.get("parameters")
    )
    parameter_rules.check(
        strategy_name=body.get("name") or existing.strategy_name, parameters=parameters
    )
    values: dict[str, Any] = {
        # As Unleash's store: a missing name/title/disabled keeps the stored one, while
        # parameters, constraints and variants are always replaced.
        "parameters": parameters,
        "constraints": constraints,
        "variants": checked_variants(body.get("variants")),
    }
    for column, value in (
        ("strategy_name", body.get("name")),
        ("title", body.get("title")),
        ("disabled", body.get("disabled")),
    ):
        if value is not None:
            values[column] = value
    repository.update_strategy(conn, strategy_id=strategy_id, values=values)
    if isinstance(segment_ids, list):
        _set_segments(conn, strategy_id=strategy_id, segment_ids=segment_ids, limits=limits)
    row = _strategy_or_404(conn, strategy_id=strategy_id, separator="=")
    current = strategy_event_json(row, _links(conn, strategy_id))
    record(
        conn,
        actor=actor,
        type="feature-strategy-update",
        feature_name=name,
        project=project,
        environment=environment,
        data=current,
        pre_data=previous,
    )
    _disable_if_only_disabled(
        conn, project=project, name=name, environment=environment, actor=actor
    )
    return current


def delete_strategy(
    conn: Connection, *, project: str, name: str, environment: str, strategy_id: str, actor: Actor
) -> None:
    existing = _strategy_in_path(
        conn, project=project, name=name, environment=environment, strategy_id=strategy_id
    )
    previous = strategy_event_json(existing, [])
    repository.delete_strategy(conn, strategy_id=strategy_id)
    _disable_if_only_disabled(
        conn, project=project, name=name, environment=environment, actor=actor
    )
    record(
        conn,
        actor=actor,
        type="feature-strategy-remove",
        feature_name=name,
        project=project,
        environment=environment,
        pre_data=previous,
    )
    if not repository.has_strategies(conn, name=name, environment=environment):
        repository.set_enabled(conn, name=name, environment=environment, enabled=False)


def _disable_if_only_disabled(
    conn: Connection, *, project: str, name: str, environment: str, actor: Actor
) -> None:
    """Unleash's optionallyDisableFeature after a strategy is changed or removed."""
    if not repository.env_has_only_disabled(
        conn, name=name, environment=environment, project=project
    ):
        return
    flag = repository.get_flag(conn, name=name)
    if flag is None or flag.project != project:
        return
    if repository.feature_environment(conn, name=name, environment=environment) is None:
        raise NotFoundError(f"Could not find environment {environment} for feature: {name}")
    if flag.archived_at is not None:
        raise ArchivedFeatureError("Cannot perform this operation on archived features")
    if repository.set_enabled(conn, name=name, environment=environment, enabled=False):
        record(
            conn,
            actor=actor,
            type="feature-environment-disabled",
            feature_name=name,
            project=project,
            environment=environment,
        )
