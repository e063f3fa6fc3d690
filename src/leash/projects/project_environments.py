"""A project's environments: added, removed, and the default strategy of each (Unleash's
environment service, OSS rules)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from leash import changelog
from leash.errors import BadDataError, NameExistsError, NotFoundError
from leash.events.service import record
from leash.features import parameters
from leash.identity import Actor
from leash.projects import repository


def require_project(conn: Connection, *, project_id: str) -> None:
    if not repository.exists(conn, project_id=project_id):
        raise NotFoundError("No project found")


def add(conn: Connection, *, project_id: str, environment: str, actor: Actor) -> None:
    if not repository.environment_exists(conn, name=environment):
        raise BadDataError.single(f"Environment {environment} does not exist")
    if not repository.link_environment(conn, project_id=project_id, environment=environment):
        raise NameExistsError(f"{project_id} already has the environment {environment} enabled")
    repository.connect_flags(conn, project_id=project_id, environment=environment)
    record(
        conn,
        actor=actor,
        type="project-environment-added",
        project=project_id,
        environment=environment,
        grouped=True,
    )
    # The project's flags gained an environment: every process reloads what SDKs see.
    changelog.note(conn)


def remove(conn: Connection, *, project_id: str, environment: str, actor: Actor) -> None:
    """Unleash 8.2 removes even the last environment, and answers (and records) the removal
    of one the project never had."""
    repository.unlink_environment(conn, project_id=project_id, environment=environment)
    record(
        conn,
        actor=actor,
        type="project-environment-removed",
        project=project_id,
        environment=environment,
        grouped=True,
    )
    changelog.note(conn)


def set_default_strategy(
    conn: Connection, *, project_id: str, environment: str, strategy: dict[str, Any], actor: Actor
) -> dict[str, Any]:
    if strategy.get("name") != "flexibleRollout":
        raise BadDataError.single(
            'Only "flexibleRollout" strategy can be used as a default strategy for an environment'
        )
    # Refused now rather than when a flag is turned on with it.
    parameters.check(strategy_name="flexibleRollout", parameters=strategy.get("parameters") or {})
    locked = repository.lock_project_environment(
        conn, project_id=project_id, environment=environment
    )
    if locked is None:
        # Unleash 8.2 fails here with a 500 (no row to update).
        raise NotFoundError(f"Could not find environment {environment} in project {project_id}")
    repository.set_default_strategy(
        conn, project_id=project_id, environment=environment, strategy=strategy
    )
    record(
        conn,
        actor=actor,
        type="default-strategy-updated",
        data=strategy,
        pre_data=locked.default_strategy,
        project=project_id,
        environment=environment,
        grouped=True,
    )
    return strategy
