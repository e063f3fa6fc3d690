"""/api/admin/user: the caller as Unleash shows it, with the permissions they hold; their
profile, roles and own password change."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from leash import permissions as perms
from leash.db.base import utcnow
from leash.errors import BadDataError, NotFoundError, PasswordMismatch
from leash.identity import ADMIN_TOKEN_USER_ID, Principal
from leash.projects import repository as projects
from leash.users import credentials, repository
from leash.users.views import role_json, user_json


def _permission_list(conn: Connection, principal: Principal) -> list[dict[str, Any]]:
    environments = [row.name for row in projects.all_environments(conn)]
    listed: list[dict[str, Any]] = []
    for permission, project in sorted(principal.grants, key=lambda g: (g[1] or "", g[0])):
        if project is None:
            listed.append({"permission": permission})
        elif permission in perms.ENVIRONMENT_PERMISSIONS:
            listed.extend(
                {"project": project, "environment": env, "permission": permission}
                for env in environments
            )
        else:
            listed.append({"project": project, "permission": permission})
    return listed


def me(conn: Connection, *, principal: Principal, via_session: bool) -> dict[str, Any]:
    if principal.user_id is None:
        # An admin API token: Unleash shows the token's own user object.
        user: dict[str, Any] = {
            "username": principal.name,
            "permissions": [perms.ADMIN],
            "environment": principal.environment,
            "type": principal.kind,
            # Unleash echoes the secret here; leash has only the masked form.
            "secret": principal.display_secret,
            "projects": list(principal.projects),
            "internalAdminTokenUserId": ADMIN_TOKEN_USER_ID,
        }
        permissions = [{"permission": perms.ADMIN}]
    else:
        row = repository.user(conn, user_id=principal.user_id)
        if row is None:
            raise NotFoundError("No user found")
        user = user_json(row, variant="session" if via_session else "pat")
        if via_session:
            user["deletedSessions"] = 0
            user["activeSessions"] = repository.active_sessions(conn, user_id=row.id, now=utcnow())
        permissions = _permission_list(conn, principal)
    return {"user": user, "permissions": permissions, "feedback": [], "splash": {}}


def _own_row(conn: Connection, *, principal: Principal) -> Any:
    if principal.user_id is None:
        # An API token is no user (Unleash 8.2 answers its getProfile so, and its other
        # own-user operations with a 500).
        raise BadDataError.single("User id is missing in request user object")
    row = repository.user(conn, user_id=principal.user_id)
    if row is None:
        raise NotFoundError("No user found")
    return row


def _root_role(conn: Connection, *, row: Any) -> dict[str, Any]:
    return role_json(repository.role(conn, role_id=row.root_role_id))


def profile(conn: Connection, *, principal: Principal) -> dict[str, Any]:
    row = _own_row(conn, principal=principal)
    # Unleash stores the root role as a role on the default project, so "default" is listed
    # for every user, then the projects they hold a role in.
    projects = ["default"]
    for role in repository.project_role_rows(conn, user_id=row.id, project=None):
        if role.project not in projects:
            projects.append(role.project)
    return {
        "projects": projects,
        "groups": [],
        "rootRole": _root_role(conn, row=row),
        # leash sends no e-mails, so nobody has unsubscribed from Unleash's only one.
        "subscriptions": ["productivity-report"],
        "features": [],
        "canChangePassword": bool(row.password_hash),
    }


def _role_in(row: Any, *, project: str) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "type": row.type,
        "project": project,
        "description": row.description,
    }


def own_roles(conn: Connection, *, principal: Principal, project: str) -> dict[str, Any]:
    row = _own_row(conn, principal=principal)
    root = repository.role(conn, role_id=row.root_role_id)
    listed = [_role_in(root, project="default")]
    listed.extend(
        _role_in(role, project=role.project)
        for role in repository.project_role_rows(conn, user_id=row.id, project=project)
    )
    return {"version": 1, "roles": listed}


def old_password_mismatch(*, base_path: str) -> PasswordMismatch:
    return PasswordMismatch(
        "The old password you provided is invalid. If you have forgotten your password, visit "
        f"{base_path}/forgotten-password or get in touch with your instance administrator."
    )


def password_state(conn: Connection, *, principal: Principal) -> tuple[int, str | None, list[str]]:
    """The caller's id, current hash and remembered hashes, read before the slow checks."""
    row = _own_row(conn, principal=principal)
    return row.id, row.password_hash, credentials.used_hashes(conn, user_id=row.id)
