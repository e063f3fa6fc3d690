"""Environments as Unleash's environment service answers and changes them.

OSS Unleash can neither create nor delete environments: the ones there are stay. Turning one
off only marks it (`enabled`): SDKs, flags and lists are served as before, the admin UI greys
it out. Unleash records no event for either that or a new sort order.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from leash.errors import NotFoundError
from leash.projects import repository


def _environment_json(row: Any) -> dict[str, Any]:
    return {
        "name": row.name,
        "type": row.type,
        "sortOrder": row.sort_order,
        "enabled": bool(row.enabled),
        "protected": bool(row.protected),
        "requiredApprovals": None,
    }


def get_environment(conn: Connection, *, name: str) -> dict[str, Any]:
    row = repository.environment(conn, name=name)
    if row is None:
        raise NotFoundError(f"Could not find environment with name: {name}")
    return _environment_json(row)


def _token_counts(conn: Connection, *, project_id: str) -> dict[str, int]:
    """Tokens of each environment that reach the project: Unleash counts a token once per
    project row it names this project in, and once if it names no project ("*")."""
    counts: dict[str, int] = {}
    for environment, projects in repository.token_scopes(conn):
        listed = projects if isinstance(projects, list) else []
        hits = listed.count(project_id) + (1 if "*" in listed or not listed else 0)
        if hits:
            counts[environment] = counts.get(environment, 0) + hits
    return counts


def project_environments(conn: Connection, *, project_id: str) -> dict[str, Any]:
    """Every environment, `visible` when the project has it; an unknown project is answered
    as a project that has none, as Unleash does."""
    tokens = _token_counts(conn, project_id=project_id)
    environments = []
    for row in repository.project_environment_rows(conn, project_id=project_id):
        body = _environment_json(row)
        body["projectApiTokenCount"] = tokens.get(row.name, 0)
        body["projectEnabledToggleCount"] = int(row.enabled_count or 0)
        if row.default_strategy is not None:
            body["defaultStrategy"] = row.default_strategy
        body["visible"] = row.linked is not None
        environments.append(body)
    return {"version": 1, "environments": environments}


def update_sort_order(conn: Connection, *, sort_order: dict[str, int]) -> None:
    """Names that are no environment are passed over, as Unleash's update of no row."""
    for name, value in sort_order.items():
        repository.set_sort_order(conn, name=name, sort_order=value)


def toggle(conn: Connection, *, name: str, enabled: bool) -> None:
    if repository.environment(conn, name=name) is None:
        raise NotFoundError(f"Could not find environment {name}")
    repository.set_environment_enabled(conn, name=name, enabled=enabled)
