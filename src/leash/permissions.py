"""Permission checks, placed as Unleash places them. Admin API tokens may do everything."""

from __future__ import annotations

from leash.auth import Principal
from leash.errors import PermissionError_

ADMIN = "ADMIN"
CREATE_SEGMENT = "CREATE_SEGMENT"
UPDATE_SEGMENT = "UPDATE_SEGMENT"
DELETE_SEGMENT = "DELETE_SEGMENT"
UPDATE_PROJECT_SEGMENT = "UPDATE_PROJECT_SEGMENT"
CREATE_FEATURE = "CREATE_FEATURE"
UPDATE_FEATURE = "UPDATE_FEATURE"
DELETE_FEATURE = "DELETE_FEATURE"
CREATE_FEATURE_STRATEGY = "CREATE_FEATURE_STRATEGY"
UPDATE_FEATURE_STRATEGY = "UPDATE_FEATURE_STRATEGY"
DELETE_FEATURE_STRATEGY = "DELETE_FEATURE_STRATEGY"
UPDATE_FEATURE_ENVIRONMENT = "UPDATE_FEATURE_ENVIRONMENT"


def has_any(principal: Principal, permissions: tuple[str, ...], *, project: str | None) -> bool:
    if principal.kind == "admin":
        return True
    granted = principal.permissions
    return ADMIN in granted or any(p in granted for p in permissions)


def require_any(principal: Principal, *permissions: str, project: str | None = None) -> None:
    if not has_any(principal, permissions, project=project):
        raise PermissionError_(list(permissions))
