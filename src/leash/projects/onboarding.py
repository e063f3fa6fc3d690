"""A project's onboarding status, as Unleash 8.2 lists it with each project.

Unleash's order: an SDK has reported one of the project's flags -> `onboarded` once a flag was
ever enabled there, else `sdk-connected`; otherwise `first-flag-created` naming a live flag,
or `onboarding-started` for a project with none.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from leash.projects import repository


def statuses(conn: Connection) -> dict[str, dict[str, Any]]:
    """Each project's onboardingStatus, by project id (projects with no flag are absent)."""
    seen = repository.projects_seen_by_sdks(conn)
    enabled = repository.projects_with_enabled_flag_event(conn)
    result: dict[str, dict[str, Any]] = {}
    for project, feature in repository.first_live_flags(conn).items():
        result[project] = {"status": "first-flag-created", "feature": feature}
    for project in seen:
        result[project] = {"status": "onboarded" if project in enabled else "sdk-connected"}
    return result


def status_of(found: dict[str, dict[str, Any]], project: str) -> dict[str, Any]:
    return found.get(project, {"status": "onboarding-started"})


def status(conn: Connection, *, project_id: str) -> dict[str, Any]:
    """One project's onboardingStatus (its overview and the personal dashboard)."""
    return status_of(statuses(conn), project_id)
