"""SQL for flag dependencies (the feature_dependencies table of leash.features)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, select

from leash.features.models import (
    feature_dependencies,
    feature_environments,
    feature_strategies,
    features,
)


def lock_flags(conn: Connection, *, names: list[str]) -> None:
    """The flags' rows, locked in name order until the transaction ends (PostgreSQL)."""
    query = (
        select(features.c.name)
        .where(features.c.name.in_(names))
        .order_by(features.c.name)
        .with_for_update()
    )
    conn.execute(query).all()


def children_of(conn: Connection, *, name: str) -> list[str]:
    query = select(feature_dependencies.c.child).where(feature_dependencies.c.parent == name)
    return [row.child for row in conn.execute(query)]


def parents_of(conn: Connection, *, name: str) -> list[str]:
    query = select(feature_dependencies.c.parent).where(feature_dependencies.c.child == name)
    return [row.parent for row in conn.execute(query)]


def active_flag_exists(conn: Connection, *, name: str) -> bool:
    query = select(features.c.name).where(features.c.name == name, features.c.archived_at.is_(None))
    return conn.execute(query).first() is not None


def in_project(conn: Connection, *, names: list[str], project: str) -> bool:
    """Whether every named flag (archived or not) is in the project."""
    query = select(features.c.name).where(features.c.name.in_(names), features.c.project == project)
    return len({row.name for row in conn.execute(query)}) == len(set(names))


def replace_parent(
    conn: Connection, *, child: str, parent: str, enabled: bool, variants: list[str] | None
) -> None:
    """The child's one dependency: any other is removed (Unleash allows one parent)."""
    conn.execute(delete(feature_dependencies).where(feature_dependencies.c.child == child))
    conn.execute(
        insert(feature_dependencies).values(
            parent=parent, child=child, enabled=enabled, variants=variants or []
        )
    )


def delete_dependency(conn: Connection, *, child: str, parent: str, project: str) -> int:
    in_project_query = select(features.c.name).where(
        features.c.name == child, features.c.project == project
    )
    result = conn.execute(
        delete(feature_dependencies).where(
            feature_dependencies.c.parent == parent,
            feature_dependencies.c.child == child,
            feature_dependencies.c.child.in_(in_project_query.scalar_subquery()),
        )
    )
    return int(result.rowcount)


def children_with_parents(conn: Connection, *, children: list[str], project: str) -> list[str]:
    """The named flags of the project that depend on a parent."""
    query = (
        select(feature_dependencies.c.child)
        .join(features, features.c.name == feature_dependencies.c.child)
        .where(feature_dependencies.c.child.in_(children), features.c.project == project)
        .order_by(feature_dependencies.c.child)
    )
    return [row.child for row in conn.execute(query)]


def delete_dependencies_of(conn: Connection, *, children: list[str]) -> None:
    conn.execute(delete(feature_dependencies).where(feature_dependencies.c.child.in_(children)))


def possible_parents(conn: Connection, *, child: str) -> list[str]:
    """Active flags of the child's project, not the child, that have no parent themselves."""
    project = conn.execute(
        select(features.c.project).where(features.c.name == child)
    ).scalar_one_or_none()
    if project is None:
        return []
    has_parent = select(feature_dependencies.c.child).scalar_subquery()
    query = (
        select(features.c.name)
        .where(
            features.c.project == project,
            features.c.name != child,
            features.c.archived_at.is_(None),
            features.c.name.not_in(has_parent),
        )
        .order_by(features.c.name)
    )
    return [row.name for row in conn.execute(query)]


def variant_lists(conn: Connection, *, name: str) -> list[Any]:
    """Every variants list of the flag: its strategies' and its environments'."""
    strategy_rows = conn.execute(
        select(feature_strategies.c.variants).where(feature_strategies.c.feature_name == name)
    )
    environment_rows = conn.execute(
        select(feature_environments.c.variants).where(feature_environments.c.feature_name == name)
    )
    return [row.variants for row in [*strategy_rows, *environment_rows]]


def any_dependency(conn: Connection) -> bool:
    return conn.execute(select(feature_dependencies.c.child).limit(1)).first() is not None
