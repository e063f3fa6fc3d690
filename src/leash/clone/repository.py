"""SQL a clone reads and writes beside the flag, strategy and dependency writes it reuses."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

from leash.features.models import feature_dependencies, feature_environments


def environment_variants(conn: Connection, *, name: str) -> dict[str, list[Any]]:
    query = select(feature_environments.c.environment, feature_environments.c.variants).where(
        feature_environments.c.feature_name == name
    )
    return {row.environment: list(row.variants or []) for row in conn.execute(query)}


def set_environment_variants(
    conn: Connection, *, name: str, environment: str, variants: list[Any]
) -> None:
    conn.execute(
        update(feature_environments)
        .where(
            feature_environments.c.feature_name == name,
            feature_environments.c.environment == environment,
        )
        .values(variants=variants)
    )


def parents_of(conn: Connection, *, child: str) -> list[Any]:
    query = (
        select(feature_dependencies)
        .where(feature_dependencies.c.child == child)
        .order_by(feature_dependencies.c.parent)
    )
    return list(conn.execute(query).all())


def add_dependency(
    conn: Connection, *, parent: str, child: str, enabled: bool, variants: list[str] | None
) -> None:
    conn.execute(
        insert(feature_dependencies).values(
            parent=parent, child=child, enabled=enabled, variants=variants
        )
    )
