"""A flag turned on or off in one environment."""

from __future__ import annotations

from sqlalchemy import Connection

from leash.errors import ArchivedFeatureError, NotFoundError
from leash.features import repository
from leash.features.events import record
from leash.features.flags import in_project
from leash.features.strategies import Limits, create_strategy
from leash.identity import Actor


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
            body={
                "name": "flexibleRollout",
                "constraints": [],
                "disabled": False,
                "parameters": {"rollout": "100", "stickiness": "default", "groupId": name},
            },
            actor=actor,
            limits=limits,
        )
    # Already in that state (read under the lock): no statement at all, so the unit of work
    # sees no write without its event; Unleash records no event for it either.
    if bool(locked.enabled) != enabled and repository.set_enabled(
        conn, name=name, environment=environment, enabled=enabled
    ):
        record(
            conn,
            actor=actor,
            type="feature-environment-enabled" if enabled else "feature-environment-disabled",
            feature_name=name,
            project=project,
            environment=environment,
        )
