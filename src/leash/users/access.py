"""Project access (Unleash Enterprise's project roles): who holds which role in a project."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from leash.db.base import iso
from leash.errors import NotFoundError
from leash.events import service as events
from leash.identity import Actor
from leash.projects import repository as projects
from leash.users import repository, roles
from leash.users.admin import get_user
from leash.users.views import role_json, user_json


def _project_role(conn: Connection, *, project: str, role_id: int) -> None:
    if not projects.exists(conn, project_id=project):
        raise NotFoundError(f"Could not find project with id {project}")
    if role_id not in roles.PROJECT_ROLES:
        raise NotFoundError(f"Could not find role with id {role_id}")


def add_project_access(
    conn: Connection, *, project: str, role_id: int, user_ids: list[int], actor: Actor
) -> None:
    _project_role(conn, project=project, role_id=role_id)
    for user_id in user_ids:
        get_user(conn, user_id=user_id)
    # In one order for every request: two requests adding overlapping users in opposite orders
    # would otherwise each wait for a row the other inserted (a deadlock on PostgreSQL).
    for user_id in sorted(set(user_ids)):
        repository.add_project_role(conn, user_id=user_id, role_id=role_id, project=project)
    events.record(
        conn,
        actor=actor,
        type="project-access-added",
        data={"roleId": role_id, "groups": [], "users": user_ids},
        project=project,
    )


def remove_project_access(
    conn: Connection, *, project: str, role_id: int, user_id: int, actor: Actor
) -> None:
    _project_role(conn, project=project, role_id=role_id)
    get_user(conn, user_id=user_id)
    if repository.remove_project_role(conn, user_id=user_id, role_id=role_id, project=project):
        events.record(
            conn,
            actor=actor,
            type="project-access-user-roles-deleted",
            pre_data={"roleId": role_id, "userId": user_id},
            project=project,
        )


def project_access(conn: Connection, *, project: str) -> dict[str, Any]:
    if not projects.exists(conn, project_id=project):
        raise NotFoundError(f"Could not find project with id {project}")
    rows = repository.project_access(conn, project=project)
    by_user: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = by_user.get(row.id)
        if entry is None:
            entry = user_json(row, variant="pat")
            entry.update({"roleId": row.role_id, "roles": [], "addedAt": iso(row.created_at)})
            by_user[row.id] = entry
        entry["roles"].append(row.role_id)
    project_roles = [repository.role(conn, role_id=r) for r in roles.PROJECT_ROLES]
    return {
        "roles": [role_json(r) for r in project_roles if r is not None],
        "users": list(by_user.values()),
        "groups": [],
    }
