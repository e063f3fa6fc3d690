"""The personal dashboard: the caller's projects, flags and their projects' owners
(getPersonalDashboard), and one project's recent events, owners, roles and health
(getPersonalDashboardProjectDetails). An admin API token is answered as its user, the admin
token user, who is in no project and created the flags made with the token."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from leash.errors import NotFoundError
from leash.events import service as events
from leash.projects import onboarding, reads, repository
from leash.projects.service import owner_json
from leash.secrets import gravatar_url
from leash.users.roles import ADMIN_ROLE, OWNER_ROLE


def _owners_by_project(conn: Connection) -> dict[str, list[dict[str, Any]]]:
    owners: dict[str, list[dict[str, Any]]] = {}
    for row in repository.owners(conn, owner_role=OWNER_ROLE):
        owners.setdefault(row.project, []).append(owner_json(row))
    return owners


def _user_json(row: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"id": row.id}
    for key in ("name", "username", "email"):
        if getattr(row, key) is not None:
            body[key] = getattr(row, key)
    body["imageUrl"] = gravatar_url((row.email or row.username or "").strip().lower())
    return body


def dashboard(conn: Connection, *, user_id: int | None) -> dict[str, Any]:
    mine = reads.user_project_ids(conn, user_id=user_id) if user_id is not None else set()
    members = repository.member_counts(conn)
    flag_counts = reads.project_flag_counts(conn)
    projects = [
        {
            "id": row.id,
            "name": row.name,
            # The stored health, 100 until Unleash's job computes it.
            "health": 100,
            "technicalDebt": 0,
            "memberCount": members.get(row.id, 0),
            "featureCount": flag_counts.get(row.id, 0),
        }
        for row in reads.all_projects(conn)
        if row.id in mine
    ]
    flags = (
        [
            {"name": row.name, "type": row.type, "project": row.project}
            for row in reads.created_flags(conn, user_id=user_id)
        ]
        if user_id is not None
        else []
    )
    # OSS: every project is accessible, so the owners of all of them, once each.
    owners: dict[str, dict[str, Any]] = {}
    for listed in _owners_by_project(conn).values():
        for owner in listed:
            owners.setdefault(owner["email"] or owner["name"], owner)
    return {
        "projects": projects,
        "flags": flags,
        "projectOwners": list(owners.values()),
        "admins": [_user_json(row) for row in reads.admins(conn, admin_role=ADMIN_ROLE)],
    }


def project_details(
    conn: Connection, *, user_id: int | None, project_id: str, unleash_url: str
) -> dict[str, Any]:
    if reads.project(conn, project_id=project_id) is None:
        raise NotFoundError(f'No project with id "{project_id}" exists.')
    flags = reads.live_flags(conn, project_id=project_id)
    query = events.SearchQuery(
        filters={"project": f"IS:{project_id}"},
        date_from=None,
        date_to=None,
        text=None,
        offset=None,
        limit="10",
    )
    found = events.search(conn, query=query, root_admin=True, unleash_url=unleash_url)
    latest = [
        {
            "createdAt": event["createdAt"],
            "summary": event["summary"],
            "createdBy": event["createdBy"],
            "id": event["id"],
            "createdByImageUrl": gravatar_url(str(event["createdBy"]).strip().lower()),
        }
        for event in found["events"]
    ]
    roles = (
        [
            {"id": row.id, "name": row.name, "type": row.type}
            for row in reads.project_roles_of(conn, user_id=user_id, project_id=project_id)
        ]
        if user_id is not None
        else []
    )
    total = len(flags)
    stale = sum(1 for f in flags if f.stale)
    # Unleash's project read model counts the staleness job's mark, not the on-read test.
    potentially = sum(1 for f in flags if f.potentially_stale and not f.stale)
    return {
        "latestEvents": latest,
        "onboardingStatus": onboarding.status(conn, project_id=project_id),
        "owners": _owners_by_project(conn).get(project_id) or [{"ownerType": "system"}],
        "roles": roles,
        "insights": {
            # Unleash averages its daily health trend, which leash does not record.
            "avgHealthCurrentWindow": None,
            "avgHealthPastWindow": None,
            "totalFlags": total,
            "potentiallyStaleFlags": potentially,
            "staleFlags": stale,
            "activeFlags": total - stale - potentially,
            "technicalDebt": 0,
            "health": 100,
        },
    }
