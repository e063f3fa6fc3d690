"""Flag dependencies: a child flag is on only when its parent is (Unleash's dependent features).

Unleash's rules, in its order: no flag depends on itself; no grandchildren (a parent cannot be
a child, a child cannot be a parent); the parent exists and is not archived; both flags are in
the path's project. A flag has at most one parent: adding one replaces the one before.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from leash.dependencies import repository
from leash.dependencies.schemas import CreateDependentFeature
from leash.errors import InvalidOperationError, NotFoundError
from leash.events import service as events
from leash.features import repository as features
from leash.identity import Actor


def _record(
    conn: Connection, *, actor: Actor, type: str, child: str, project: str, data: Any = None
) -> None:
    events.record(
        conn,
        actor=actor,
        type=type,
        data=data,
        project=project,
        feature_name=child,
        tags=features.tags_of(conn, name=child),
        grouped=True,
    )


def add_dependency(
    conn: Connection, *, project: str, child: str, body: CreateDependentFeature, actor: Actor
) -> None:
    parent = body["feature"]
    if child == parent:
        raise InvalidOperationError("A feature flag cannot depend on itself.")
    # Both flags locked first: two adds that would chain three flags run one after the other,
    # so the second sees the first and refuses the grandchild.
    repository.lock_flags(conn, names=[child, parent])
    if repository.children_of(conn, name=child):
        raise InvalidOperationError(
            "Transitive dependency detected. Cannot add a dependency to the feature that other "
            "features depend on."
        )
    if repository.parents_of(conn, name=parent):
        raise InvalidOperationError(
            "Transitive dependency detected. Cannot add a dependency to the feature that has "
            "parent dependency."
        )
    if not repository.active_flag_exists(conn, name=parent):
        raise InvalidOperationError(f"No active feature {parent} exists")
    if not repository.in_project(conn, names=[child, parent], project=project):
        raise NotFoundError(
            "Cannot add the dependency. Both the parent and the child feature must belong to "
            f'project "{project}".'
        )
    enabled = body.get("enabled") is not False
    variants = body.get("variants")
    repository.replace_parent(
        conn, child=child, parent=parent, enabled=enabled, variants=variants if enabled else None
    )
    data: dict[str, Any] = {"feature": parent, "enabled": enabled}
    if variants is not None:
        data["variants"] = variants
    _record(
        conn, actor=actor, type="feature-dependency-added", child=child, project=project, data=data
    )


def delete_dependency(
    conn: Connection, *, project: str, child: str, parent: str, actor: Actor
) -> None:
    if repository.delete_dependency(conn, child=child, parent=parent, project=project) == 0:
        raise NotFoundError(
            f'No dependency on "{parent}" for feature "{child}" in project "{project}".'
        )
    _record(
        conn,
        actor=actor,
        type="feature-dependency-removed",
        child=child,
        project=project,
        data={"feature": parent},
    )


def delete_dependencies(conn: Connection, *, project: str, child: str, actor: Actor) -> None:
    children = repository.children_with_parents(conn, children=[child], project=project)
    if not children:
        raise NotFoundError(
            f'Feature "{child}" has no dependencies to remove in project "{project}".'
        )
    repository.delete_dependencies_of(conn, children=children)
    for name in children:
        _record(conn, actor=actor, type="feature-dependencies-removed", child=name, project=project)


def possible_parents(conn: Connection, *, child: str) -> list[str]:
    return repository.possible_parents(conn, child=child)


def possible_parent_variants(conn: Connection, *, parent: str) -> list[str]:
    names: set[str] = set()
    for variants in repository.variant_lists(conn, name=parent):
        for variant in variants or []:
            if isinstance(variant, dict) and isinstance(variant.get("name"), str):
                names.add(variant["name"])
    return sorted(names)


def dependencies_exist(conn: Connection) -> bool:
    return repository.any_dependency(conn)
