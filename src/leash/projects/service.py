"""Projects and environments as Unleash's admin UI lists them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from leash.db.base import iso
from leash.favorites import repository as favorites
from leash.projects import onboarding, repository
from leash.secrets import gravatar_url
from leash.users.roles import OWNER_ROLE


def owner_json(row: Any) -> dict[str, Any]:
    ident = (row.email or row.username or str(row.id)).strip().lower()
    return {
        "ownerType": "user",
        "name": row.name or row.username or row.email,
        "email": row.email,
        "imageUrl": gravatar_url(ident),
    }


def list_projects(conn: Connection, *, user_id: int | None) -> dict[str, Any]:
    """`user_id`: the calling user's; Unleash lists `favorite` for users only, not tokens."""
    favorite = favorites.favorite_projects_of(conn, user_id=user_id)
    members = repository.member_counts(conn)
    owners: dict[str, list[dict[str, Any]]] = {}
    for row in repository.owners(conn, owner_role=OWNER_ROLE):
        owners.setdefault(row.project, []).append(owner_json(row))
    onboarding_statuses = onboarding.statuses(conn)
    projects = [
        {
            "name": row.name,
            "id": row.id,
            "description": row.description,
            # Unleash recomputes health on a schedule from stale flags; leash has none yet.
            "health": 100,
            "technicalDebt": 0,
            **({"favorite": row.id in favorite} if user_id is not None else {}),
            "featureCount": int(row.feature_count or 0),
            "memberCount": members.get(row.id, 0),
            "createdAt": iso(row.created_at),
            "archivedAt": None,
            "mode": row.mode or "open",
            "lastReportedFlagUsage": None,
            "lastUpdatedAt": iso(row.last_updated),
            "onboardingStatus": onboarding.status_of(onboarding_statuses, row.id),
            "owners": owners.get(row.id) or [{"ownerType": "system"}],
        }
        for row in repository.project_rows(conn)
    ]
    return {"version": 1, "projects": projects}


def list_environments(conn: Connection) -> dict[str, Any]:
    environments = [
        {
            "name": row.name,
            "type": row.type,
            "sortOrder": row.sort_order,
            "enabled": bool(row.enabled),
            "protected": bool(row.protected),
            "requiredApprovals": None,
            "projectCount": int(row.project_count or 0),
            "apiTokenCount": int(row.api_token_count or 0),
            "enabledToggleCount": int(row.enabled_toggle_count or 0),
        }
        for row in repository.environment_rows(conn)
    ]
    return {"version": 1, "environments": environments}
