"""/api/admin/user: the caller as Unleash shows it, with the permissions they hold."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from leash import permissions as perms
from leash.db.base import utcnow
from leash.errors import NotFoundError
from leash.identity import ADMIN_TOKEN_USER_ID, Principal
from leash.projects import repository as projects
from leash.users import repository
from leash.users.views import user_json


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
