"""SQL for archiving, reviving and deleting flags, and marking them stale, in bulk."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, select, update

from leash.features.models import feature_dependencies, feature_environments, features


def flags_named(conn: Connection, *, names: list[str]) -> list[Any]:
    """The flags of `names` that exist, archived or not, in the order `names` gives them."""
    if not names:
        return []
    rows = {
        row.name: row for row in conn.execute(select(features).where(features.c.name.in_(names)))
    }
    return [rows[name] for name in dict.fromkeys(names) if name in rows]


def orphan_parents(conn: Connection, *, names: list[str]) -> list[str]:
    """Parents among `names` with a child not among `names` (Unleash's getOrphanParents)."""
    if not names:
        return []
    outside = select(feature_dependencies.c.parent).where(
        feature_dependencies.c.child.not_in(names)
    )
    query = (
        select(feature_dependencies.c.parent)
        .where(feature_dependencies.c.parent.in_(names), feature_dependencies.c.parent.in_(outside))
        .distinct()
        .order_by(feature_dependencies.c.parent)
    )
    return list(conn.execute(query).scalars())


def have_dependencies(conn: Connection, *, names: list[str]) -> bool:
    if not names:
        return False
    query = select(feature_dependencies.c.parent).where(
        feature_dependencies.c.parent.in_(names) | feature_dependencies.c.child.in_(names)
    )
    return conn.execute(query.limit(1)).first() is not None


def children_with_parents(conn: Connection, *, names: list[str], project: str) -> list[str]:
    """One entry per dependency row of a child among `names` in `project` (Unleash's
    getDependencies: a child with two parents is listed twice)."""
    if not names:
        return []
    in_project = select(features.c.name).where(
        features.c.name.in_(names), features.c.project == project
    )
    query = (
        select(feature_dependencies.c.child)
        .where(feature_dependencies.c.child.in_(in_project))
        .order_by(feature_dependencies.c.child, feature_dependencies.c.parent)
    )
    return list(conn.execute(query).scalars())


def delete_dependencies_of(conn: Connection, *, children: list[str]) -> None:
    if children:
        conn.execute(delete(feature_dependencies).where(feature_dependencies.c.child.in_(children)))


def set_archived_at(conn: Connection, *, names: list[str], at: datetime | None) -> None:
    if names:
        conn.execute(update(features).where(features.c.name.in_(names)).values(archived_at=at))


def disable_environments(conn: Connection, *, names: list[str]) -> None:
    if names:
        conn.execute(
            update(feature_environments)
            .where(feature_environments.c.feature_name.in_(names))
            .values(enabled=False)
        )


def delete_flags(conn: Connection, *, names: list[str]) -> None:
    if names:
        conn.execute(
            delete(features).where(features.c.name.in_(names), features.c.archived_at.is_not(None))
        )


def set_stale(conn: Connection, *, names: list[str], stale: bool) -> None:
    if names:
        conn.execute(update(features).where(features.c.name.in_(names)).values(stale=stale))
