"""Permission checks, placed as Unleash places them.

A principal carries grants: (permission, project) pairs. A grant with project None is a root
grant and matches whatever project a route resolves; a project grant matches only that
project, or every project when it is "*". ADMIN matches everything, and admin API tokens
pass every check (Unleash's `isAPI` admin user).
"""

from __future__ import annotations

from leash.errors import PermissionError_
from leash.identity import Principal

ADMIN = "ADMIN"
ALL_PROJECTS = "*"

# Root permissions (granted by the Admin/Editor root roles).
CREATE_SEGMENT = "CREATE_SEGMENT"
UPDATE_SEGMENT = "UPDATE_SEGMENT"
DELETE_SEGMENT = "DELETE_SEGMENT"
CREATE_PROJECT = "CREATE_PROJECT"
CREATE_CONTEXT_FIELD = "CREATE_CONTEXT_FIELD"
UPDATE_CONTEXT_FIELD = "UPDATE_CONTEXT_FIELD"
DELETE_CONTEXT_FIELD = "DELETE_CONTEXT_FIELD"
CREATE_STRATEGY = "CREATE_STRATEGY"
UPDATE_STRATEGY = "UPDATE_STRATEGY"
DELETE_STRATEGY = "DELETE_STRATEGY"
CREATE_ADDON = "CREATE_ADDON"
UPDATE_ADDON = "UPDATE_ADDON"
DELETE_ADDON = "DELETE_ADDON"
UPDATE_APPLICATION = "UPDATE_APPLICATION"
CREATE_TAG_TYPE = "CREATE_TAG_TYPE"
UPDATE_TAG_TYPE = "UPDATE_TAG_TYPE"
DELETE_TAG_TYPE = "DELETE_TAG_TYPE"
READ_CLIENT_API_TOKEN = "READ_CLIENT_API_TOKEN"
READ_FRONTEND_API_TOKEN = "READ_FRONTEND_API_TOKEN"
CREATE_CLIENT_API_TOKEN = "CREATE_CLIENT_API_TOKEN"
CREATE_FRONTEND_API_TOKEN = "CREATE_FRONTEND_API_TOKEN"
UPDATE_CLIENT_API_TOKEN = "UPDATE_CLIENT_API_TOKEN"
UPDATE_FRONTEND_API_TOKEN = "UPDATE_FRONTEND_API_TOKEN"
DELETE_CLIENT_API_TOKEN = "DELETE_CLIENT_API_TOKEN"
DELETE_FRONTEND_API_TOKEN = "DELETE_FRONTEND_API_TOKEN"
UPDATE_MAINTENANCE_MODE = "UPDATE_MAINTENANCE_MODE"

# Project permissions (granted per project by the Owner/Member project roles).
UPDATE_PROJECT_SEGMENT = "UPDATE_PROJECT_SEGMENT"
UPDATE_PROJECT_CONTEXT = "UPDATE_PROJECT_CONTEXT"
CREATE_FEATURE = "CREATE_FEATURE"
UPDATE_FEATURE = "UPDATE_FEATURE"
DELETE_FEATURE = "DELETE_FEATURE"
MOVE_FEATURE_TOGGLE = "MOVE_FEATURE_TOGGLE"
UPDATE_FEATURE_VARIANTS = "UPDATE_FEATURE_VARIANTS"
UPDATE_FEATURE_DEPENDENCY = "UPDATE_FEATURE_DEPENDENCY"
UPDATE_PROJECT = "UPDATE_PROJECT"
DELETE_PROJECT = "DELETE_PROJECT"
CREATE_PROJECT_API_TOKEN = "CREATE_PROJECT_API_TOKEN"
READ_PROJECT_API_TOKEN = "READ_PROJECT_API_TOKEN"
DELETE_PROJECT_API_TOKEN = "DELETE_PROJECT_API_TOKEN"
PROJECT_USER_ACCESS_READ = "PROJECT_USER_ACCESS_READ"
PROJECT_USER_ACCESS_WRITE = "PROJECT_USER_ACCESS_WRITE"
PROJECT_DEFAULT_STRATEGY_WRITE = "PROJECT_DEFAULT_STRATEGY_WRITE"
# Held by project Owners in Unleash 8.2; guards release templates, which leash does not have.
UPDATE_PROJECT_RELEASE_TEMPLATE = "UPDATE_PROJECT_RELEASE_TEMPLATE"
# Environment-scoped in Unleash; leash grants them for every environment of the project.
CREATE_FEATURE_STRATEGY = "CREATE_FEATURE_STRATEGY"
UPDATE_FEATURE_STRATEGY = "UPDATE_FEATURE_STRATEGY"
DELETE_FEATURE_STRATEGY = "DELETE_FEATURE_STRATEGY"
UPDATE_FEATURE_ENVIRONMENT = "UPDATE_FEATURE_ENVIRONMENT"
UPDATE_FEATURE_ENVIRONMENT_VARIANTS = "UPDATE_FEATURE_ENVIRONMENT_VARIANTS"

ENVIRONMENT_PERMISSIONS = frozenset(
    {
        CREATE_FEATURE_STRATEGY,
        UPDATE_FEATURE_STRATEGY,
        DELETE_FEATURE_STRATEGY,
        UPDATE_FEATURE_ENVIRONMENT,
        UPDATE_FEATURE_ENVIRONMENT_VARIANTS,
    }
)


def _grant_matches(grant_project: str | None, project: str | None) -> bool:
    if grant_project is None or grant_project == ALL_PROJECTS:
        return True
    return grant_project == project


def has_any(principal: Principal, permissions: tuple[str, ...], *, project: str | None) -> bool:
    """True when any one of `permissions` is granted for `project` (None: not project-bound)."""
    if principal.kind == "admin":
        return True
    wanted = set(permissions)
    for permission, grant_project in principal.grants:
        if permission == ADMIN:
            return True
        if permission in wanted and _grant_matches(grant_project, project):
            return True
    # Root-level names kept for callers that build a Principal with bare permission names.
    return ADMIN in principal.permissions or bool(wanted & principal.permissions)


def require_any(principal: Principal, *permissions: str, project: str | None = None) -> None:
    if not has_any(principal, permissions, project=project):
        raise PermissionError_(list(permissions))


def is_root_admin(principal: Principal) -> bool:
    return principal.kind == "admin" or has_any(principal, (ADMIN,), project=None)
