"""The strategy a flag gets when it is turned on in an environment where it has none.

A project environment may hold its own default (addDefaultStrategyToProjectEnvironment);
without one Unleash adds a 100% flexible rollout grouped by the flag's name. Kept apart from
the service so that the features package can call it without importing the projects' rules.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Connection, select

from leash.projects.models import project_environments


def default_strategy(conn: Connection, *, project: str, environment: str) -> dict[str, Any] | None:
    """The default strategy stored for the project's environment, as it was set; None when
    none was set (or the project has no such environment)."""
    query = select(project_environments.c.default_strategy).where(
        project_environments.c.project_id == project,
        project_environments.c.environment_name == environment,
    )
    stored = conn.execute(query).scalar()
    return cast(dict[str, Any], stored) if isinstance(stored, dict) else None


def builtin_strategy(*, feature_name: str) -> dict[str, Any]:
    return {
        "name": "flexibleRollout",
        "constraints": [],
        "disabled": False,
        "parameters": {"rollout": "100", "stickiness": "default", "groupId": feature_name},
    }


def strategy_to_add(
    conn: Connection, *, project: str, environment: str, feature_name: str
) -> dict[str, Any]:
    """The strategy body to create for `feature_name`: the project environment's default, its
    groupId resolved as Unleash resolves it (an empty one becomes the flag's name, a missing
    one stays empty), or the built-in 100% rollout."""
    stored = default_strategy(conn, project=project, environment=environment)
    if stored is None:
        return builtin_strategy(feature_name=feature_name)
    parameters = dict(stored.get("parameters") or {})
    group_id = parameters.get("groupId")
    parameters["groupId"] = feature_name if group_id == "" else (group_id or "")
    return {**stored, "parameters": parameters}
