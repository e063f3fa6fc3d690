"""A flag turned on or off in one environment (or many flags at once), and what one flag
environment holds."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Connection

from leash.errors import ArchivedFeatureError, NotFoundError
from leash.features import repository
from leash.features.events import record
from leash.features.flags import in_project
from leash.features.schemas import CreateFeatureStrategy
from leash.features.strategies import Limits, create_strategy
from leash.features.views import stringify
from leash.identity import Actor
from leash.projects.default_strategy import strategy_to_add


def _prepare(
    conn: Connection,
    *,
    project: str,
    name: str,
    environment: str,
    enabled: bool,
    actor: Actor,
    limits: Limits,
) -> bool:
    """The checks of a toggle, and the default strategy it adds; whether the state changes."""
    in_project(conn, name=name, project=project)
    # Locked: two toggles at once must not both add the default strategy below.
    locked = repository.lock_feature_environment(conn, name=name, environment=environment)
    if locked is None:
        raise NotFoundError(f"Could not find environment {environment} for feature: {name}")
    if repository.get_flag(conn, name=name).archived_at is not None:
        raise ArchivedFeatureError("Cannot perform this operation on archived features")
    if enabled and repository.env_has_only_disabled(
        conn, name=name, environment=environment, project=project
    ):
        # Unleash turns a flag on with a 100% rollout when nothing else would let anyone in.
        create_strategy(
            conn,
            project=project,
            name=name,
            environment=environment,
            # Stored defaults were validated as createFeatureStrategySchema when they were set.
            body=cast(
                CreateFeatureStrategy,
                strategy_to_add(conn, project=project, environment=environment, feature_name=name),
            ),
            actor=actor,
            limits=limits,
        )
    return bool(locked.enabled) != enabled


def _apply(
    conn: Connection, *, project: str, name: str, environment: str, enabled: bool, actor: Actor
) -> None:
    if repository.set_enabled(conn, name=name, environment=environment, enabled=enabled):
        record(
            conn,
            actor=actor,
            type="feature-environment-enabled" if enabled else "feature-environment-disabled",
            feature_name=name,
            project=project,
            environment=environment,
        )


def set_enabled(
    conn: Connection,
    *,
    project: str,
    name: str,
    environment: str,
    enabled: bool,
    actor: Actor,
    limits: Limits,
) -> None:
    # Already in that state (read under the lock): no statement at all, so the unit of work
    # sees no write without its event; Unleash records no event for it either.
    if _prepare(
        conn,
        project=project,
        name=name,
        environment=environment,
        enabled=enabled,
        actor=actor,
        limits=limits,
    ):
        _apply(
            conn, project=project, name=name, environment=environment, enabled=enabled, actor=actor
        )


def set_enabled_many(
    conn: Connection,
    *,
    project: str,
    names: list[str],
    environment: str,
    enabled: bool,
    actor: Actor,
    limits: Limits,
) -> None:
    """Unleash's bulkUpdateEnabled: all or none (one transaction). Unleash toggles the flags
    concurrently, so its events come as every default strategy first, then every toggle."""
    # Every row locked first, in one order: two bulk toggles naming the same flags in other
    # orders then wait for each other instead of deadlocking.
    for name in sorted(set(names)):
        repository.lock_feature_environment(conn, name=name, environment=environment)
    changing = [
        name
        for name in dict.fromkeys(names)
        if _prepare(
            conn,
            project=project,
            name=name,
            environment=environment,
            enabled=enabled,
            actor=actor,
            limits=limits,
        )
    ]
    for name in changing:
        _apply(
            conn, project=project, name=name, environment=environment, enabled=enabled, actor=actor
        )


def feature_environment(
    conn: Connection, *, project: str, name: str, environment: str
) -> dict[str, Any]:
    """Unleash's getFeatureEnvironment: the environment's state and its strategies."""
    in_project(conn, name=name, project=project)
    row = repository.feature_environment(conn, name=name, environment=environment)
    if row is None:
        raise NotFoundError(f"Could not find {name} in {environment}")
    strategies = repository.strategies_of(
        conn, names=[name], environment=environment, project=project
    )
    return {
        "name": name,
        "environment": environment,
        "enabled": bool(row.enabled),
        "strategies": [
            {
                "id": s.id,
                "featureName": name,
                "title": s.title,
                "parameters": stringify(s.parameters),
                "constraints": s.constraints or [],
                "variants": s.variants or [],
                "sortOrder": s.sort_order,
                "disabled": bool(s.disabled),
                "name": s.strategy_name,
            }
            for s in strategies
        ],
    }
