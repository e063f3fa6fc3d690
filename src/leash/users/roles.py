"""Unleash's built-in roles and what each one grants, as (permission, project) pairs.

Root roles (Admin 1, Editor 2, Viewer 3) apply everywhere; project roles (Owner 4, Member 5,
Reader 6) are assigned per project and grant their permissions for that project only. The
project roles hold Unleash 8.2's permission names exactly (its role_permission rows, the
environment-scoped ones once per environment); managing who has access to a project takes
UPDATE_PROJECT, as Unleash's PROJECT_PERMISSIONS_STRUCTURE has it (the routes accept it).
"""

from __future__ import annotations

from leash import permissions as p

ADMIN_ROLE = 1
EDITOR_ROLE = 2
VIEWER_ROLE = 3
OWNER_ROLE = 4
MEMBER_ROLE = 5
READER_ROLE = 6

ROOT_ROLES = (ADMIN_ROLE, EDITOR_ROLE, VIEWER_ROLE)
PROJECT_ROLES = (OWNER_ROLE, MEMBER_ROLE, READER_ROLE)
ROOT_ROLE_NAMES = {"Admin": ADMIN_ROLE, "Editor": EDITOR_ROLE, "Viewer": VIEWER_ROLE}

_EDITOR_ROOT = (
    p.CREATE_SEGMENT,
    p.UPDATE_SEGMENT,
    p.DELETE_SEGMENT,
    p.CREATE_PROJECT,
    p.CREATE_CONTEXT_FIELD,
    p.UPDATE_CONTEXT_FIELD,
    p.DELETE_CONTEXT_FIELD,
    p.CREATE_STRATEGY,
    p.UPDATE_STRATEGY,
    p.DELETE_STRATEGY,
    p.CREATE_ADDON,
    p.UPDATE_ADDON,
    p.DELETE_ADDON,
    p.UPDATE_APPLICATION,
    p.CREATE_TAG_TYPE,
    p.UPDATE_TAG_TYPE,
    p.DELETE_TAG_TYPE,
    p.READ_CLIENT_API_TOKEN,
    p.READ_FRONTEND_API_TOKEN,
)

# What a project Member may do in its project: work on flags.
MEMBER_PERMISSIONS = (
    p.CREATE_FEATURE,
    p.UPDATE_FEATURE,
    p.DELETE_FEATURE,
    p.UPDATE_FEATURE_VARIANTS,
    p.UPDATE_FEATURE_DEPENDENCY,
    p.CREATE_FEATURE_STRATEGY,
    p.UPDATE_FEATURE_STRATEGY,
    p.DELETE_FEATURE_STRATEGY,
    p.UPDATE_FEATURE_ENVIRONMENT,
    p.UPDATE_FEATURE_ENVIRONMENT_VARIANTS,
    p.CREATE_PROJECT_API_TOKEN,
    p.READ_PROJECT_API_TOKEN,
    p.DELETE_PROJECT_API_TOKEN,
)

# A project Owner runs the project: everything a Member does, plus the project itself (and
# so who has access to it), its segments, context fields and release templates.
OWNER_PERMISSIONS = (
    *MEMBER_PERMISSIONS,
    p.MOVE_FEATURE_TOGGLE,
    p.UPDATE_PROJECT,
    p.DELETE_PROJECT,
    p.UPDATE_PROJECT_SEGMENT,
    p.UPDATE_PROJECT_CONTEXT,
    p.UPDATE_PROJECT_RELEASE_TEMPLATE,
)

# A project Reader reads the project, as every user may: it grants nothing more.
READER_PERMISSIONS: tuple[str, ...] = ()

_PROJECT_ROLE_PERMISSIONS = {
    OWNER_ROLE: OWNER_PERMISSIONS,
    MEMBER_ROLE: MEMBER_PERMISSIONS,
    READER_ROLE: READER_PERMISSIONS,
}

# Unleash gives Editors the Member-like permissions on the default project only (and owner
# rights on projects they create); leash grants them in every project ("*"), so an Editor can
# work on flags anywhere without a project role per project.
_EDITOR_PROJECT = (*MEMBER_PERMISSIONS, p.MOVE_FEATURE_TOGGLE, p.UPDATE_PROJECT)

Grant = tuple[str, str | None]


def root_grants(root_role: int) -> frozenset[Grant]:
    if root_role == ADMIN_ROLE:
        return frozenset({(p.ADMIN, None)})
    if root_role == EDITOR_ROLE:
        return frozenset(
            [(name, None) for name in _EDITOR_ROOT]
            + [(name, p.ALL_PROJECTS) for name in _EDITOR_PROJECT]
        )
    return frozenset()


def project_grants(role_id: int, project: str) -> frozenset[Grant]:
    names = _PROJECT_ROLE_PERMISSIONS.get(role_id, ())
    return frozenset((name, project) for name in names)
