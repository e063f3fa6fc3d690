"""SQL for flags, their environments and strategies."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, exists, func, insert, select, update

from leash.db.base import utcnow
from leash.events.models import events
from leash.features.models import (
    feature_dependencies,
    feature_environments,
    feature_strategies,
    feature_strategy_segment,
    feature_tags,
    features,
)
from leash.projects.models import environments, project_environments


def get_strategy(conn: Connection, *, strategy_id: str, for_update: bool = False) -> Any:
    """The strategy row; `for_update` holds it until the transaction ends (PostgreSQL)."""
    query = select(feature_strategies).where(feature_strategies.c.id == strategy_id)
    if for_update:
        query = query.with_for_update()
    return conn.execute(query).one_or_none()


# --- flags ---


def get_flag(conn: Connection, *, name: str) -> Any:
    """The flag row, archived or not."""
    return conn.execute(select(features).where(features.c.name == name)).one_or_none()


def list_flags(conn: Connection, *, project: str) -> list[Any]:
    query = (
        select(features)
        .where(features.c.project == project, features.c.archived_at.is_(None))
        .order_by(features.c.created_at, features.c.name)
    )
    return list(conn.execute(query).all())


def insert_flag(
    conn: Connection,
    *,
    name: str,
    project: str,
    type: str,
    description: str | None,
    impression_data: bool,
    created_by: str,
    created_by_user_id: int | None,
) -> None:
    conn.execute(
        insert(features).values(
            name=name,
            project=project,
            type=type,
            description=description,
            stale=False,
            impression_data=impression_data,
            created_at=utcnow(),
            created_by=created_by,
            created_by_user_id=created_by_user_id,
        )
    )


def update_flag(conn: Connection, *, name: str, values: dict[str, Any]) -> None:
    conn.execute(update(features).where(features.c.name == name).values(**values))


def connect_environments(conn: Connection, *, name: str, project: str) -> None:
    """A new flag gets a disabled environment row for each of its project's environments."""
    rows = conn.execute(
        select(project_environments.c.environment_name).where(
            project_environments.c.project_id == project
        )
    ).all()
    if rows:
        conn.execute(
            insert(feature_environments),
            [
                {
                    "feature_name": name,
                    "environment": row.environment_name,
                    "enabled": False,
                    "variants": [],
                }
                for row in rows
            ],
        )


def flag_environments(conn: Connection, *, names: list[str]) -> dict[str, list[Any]]:
    """Environment rows (with the environment's type and sort order) per flag, in display order."""
    if not names:
        return {}
    has_strategies = exists().where(
        feature_strategies.c.feature_name == feature_environments.c.feature_name,
        feature_strategies.c.environment == feature_environments.c.environment,
    )
    has_enabled = exists().where(
        feature_strategies.c.feature_name == feature_environments.c.feature_name,
        feature_strategies.c.environment == feature_environments.c.environment,
        feature_strategies.c.disabled.is_(False),
    )
    query = (
        select(
            feature_environments,
            environments.c.type.label("environment_type"),
            environments.c.sort_order.label("environment_sort_order"),
            has_strategies.label("has_strategies"),
            has_enabled.label("has_enabled_strategies"),
        )
        .join(environments, environments.c.name == feature_environments.c.environment)
        .where(feature_environments.c.feature_name.in_(names))
        .order_by(environments.c.sort_order, environments.c.name)
    )
    result: dict[str, list[Any]] = defaultdict(list)
    for row in conn.execute(query):
        result[row.feature_name].append(row)
    return result


def feature_environment(conn: Connection, *, name: str, environment: str) -> Any:
    query = select(feature_environments).where(
        feature_environments.c.feature_name == name,
        feature_environments.c.environment == environment,
    )
    return conn.execute(query).one_or_none()


def lock_feature_environment(conn: Connection, *, name: str, environment: str) -> Any:
    """The flag's environment row, locked until the transaction ends, or None.

    Writes that count or change the strategies of one flag environment take this lock first, so
    on PostgreSQL they run one after the other and each sees the ones before it (limits and
    "turn on with a default strategy" hold under concurrency). SQLite compiles no FOR UPDATE:
    its writers are serialized already (BEGIN IMMEDIATE).
    """
    query = (
        select(feature_environments)
        .where(
            feature_environments.c.feature_name == name,
            feature_environments.c.environment == environment,
        )
        .with_for_update()
    )
    return conn.execute(query).one_or_none()


def set_enabled(conn: Connection, *, name: str, environment: str, enabled: bool) -> int:
    """Rows changed: 0 when the environment already had that state."""
    result = conn.execute(
        update(feature_environments)
        .where(
            feature_environments.c.feature_name == name,
            feature_environments.c.environment == environment,
            feature_environments.c.enabled.is_(not enabled),
        )
        .values(enabled=enabled)
    )
    return int(result.rowcount)


def dependencies_of(conn: Connection, *, name: str) -> list[Any]:
    query = (
        select(feature_dependencies)
        .where(feature_dependencies.c.child == name)
        .order_by(feature_dependencies.c.parent)
    )
    return list(conn.execute(query).all())


def children_of(conn: Connection, *, name: str) -> list[str]:
    query = (
        select(feature_dependencies.c.child)
        .where(feature_dependencies.c.parent == name)
        .order_by(feature_dependencies.c.child)
    )
    return [row.child for row in conn.execute(query)]


def tags_of(conn: Connection, *, name: str) -> list[dict[str, str]]:
    query = (
        select(feature_tags.c.tag_type, feature_tags.c.tag_value)
        .where(feature_tags.c.feature_name == name)
        .order_by(feature_tags.c.created_at, feature_tags.c.tag_type, feature_tags.c.tag_value)
    )
    return [{"value": row.tag_value, "type": row.tag_type} for row in conn.execute(query)]


def collaborator_ids(conn: Connection, *, name: str) -> list[int]:
    """Who changed the flag, most recent first (Unleash's feature collaborators)."""
    latest = func.max(events.c.created_at)
    query = (
        select(events.c.created_by_user_id, latest.label("latest"))
        .where(events.c.feature_name == name, events.c.created_by_user_id.is_not(None))
        .group_by(events.c.created_by_user_id)
        .order_by(latest.desc())
    )
    return [int(row.created_by_user_id) for row in conn.execute(query)]


# --- strategies ---


def strategies_of(
    conn: Connection,
    *,
    names: list[str],
    environment: str | None = None,
    project: str | None = None,
) -> list[Any]:
    if not names:
        return []
    query = select(feature_strategies).where(feature_strategies.c.feature_name.in_(names))
    if environment is not None:
        query = query.where(feature_strategies.c.environment == environment)
    if project is not None:
        query = query.where(feature_strategies.c.project_name == project)
    query = query.order_by(feature_strategies.c.sort_order, feature_strategies.c.created_at)
    return list(conn.execute(query).all())


def segment_ids(conn: Connection, *, strategy_ids: list[str]) -> dict[str, list[int]]:
    if not strategy_ids:
        return {}
    query = (
        select(
            feature_strategy_segment.c.feature_strategy_id, feature_strategy_segment.c.segment_id
        )
        .where(feature_strategy_segment.c.feature_strategy_id.in_(strategy_ids))
        .order_by(feature_strategy_segment.c.segment_id)
    )
    result: dict[str, list[int]] = defaultdict(list)
    for row in conn.execute(query):
        result[row.feature_strategy_id].append(row.segment_id)
    return result


def next_sort_order(conn: Connection, *, name: str, environment: str) -> int:
    highest = conn.execute(
        select(func.max(feature_strategies.c.sort_order)).where(
            feature_strategies.c.feature_name == name,
            feature_strategies.c.environment == environment,
        )
    ).scalar_one()
    return 0 if highest is None else int(highest) + 1


def insert_strategy(
    conn: Connection,
    *,
    strategy_id: str,
    name: str,
    project: str,
    environment: str,
    strategy_name: str,
    title: str | None,
    disabled: bool,
    parameters: dict[str, str],
    constraints: list[dict[str, Any]],
    variants: list[dict[str, Any]],
    sort_order: int,
    created_by_user_id: int | None,
) -> None:
    conn.execute(
        insert(feature_strategies).values(
            id=strategy_id,
            feature_name=name,
            project_name=project,
            environment=environment,
            strategy_name=strategy_name,
            title=title,
            disabled=disabled,
            parameters=parameters,
            constraints=constraints,
            variants=variants,
            sort_order=sort_order,
            created_at=utcnow(),
            created_by_user_id=created_by_user_id,
        )
    )


def update_strategy(conn: Connection, *, strategy_id: str, values: dict[str, Any]) -> None:
    conn.execute(
        update(feature_strategies).where(feature_strategies.c.id == strategy_id).values(**values)
    )


def delete_strategy(conn: Connection, *, strategy_id: str) -> None:
    conn.execute(delete(feature_strategies).where(feature_strategies.c.id == strategy_id))


# --- archive ---


def archive(conn: Connection, *, name: str, at: datetime) -> None:
    conn.execute(update(features).where(features.c.name == name).values(archived_at=at))


def env_has_only_disabled(conn: Connection, *, name: str, environment: str, project: str) -> bool:
    """True also when there are no strategies at all (JavaScript's [].every)."""
    enabled = conn.execute(
        select(feature_strategies.c.id).where(
            and_(
                feature_strategies.c.feature_name == name,
                feature_strategies.c.environment == environment,
                feature_strategies.c.project_name == project,
                feature_strategies.c.disabled.is_(False),
            )
        )
    ).first()
    return enabled is None


def has_strategies(conn: Connection, *, name: str, environment: str) -> bool:
    found = conn.execute(
        select(feature_strategies.c.id).where(
            feature_strategies.c.feature_name == name,
            feature_strategies.c.environment == environment,
        )
    ).first()
    return found is not None


# --- environment variants ---


def has_environment_variants(conn: Connection, *, name: str) -> bool:
    """Whether any environment of the flag has variants (Unleash's legacy-variants test)."""
    rows = conn.execute(
        select(feature_environments.c.variants).where(feature_environments.c.feature_name == name)
    )
    return any(row.variants for row in rows)


def set_environment_variants(
    conn: Connection, *, name: str, environments: list[str], variants: list[dict[str, Any]]
) -> None:
    conn.execute(
        update(feature_environments)
        .where(
            feature_environments.c.feature_name == name,
            feature_environments.c.environment.in_(environments),
        )
        .values(variants=variants)
    )


# --- many flags at once (export/import); callers pass at most a few thousand names ---


def flags_named(conn: Connection, *, names: list[str]) -> list[Any]:
    """The flags of these names, archived or not, by name."""
    if not names:
        return []
    query = select(features).where(features.c.name.in_(names)).order_by(features.c.name)
    return list(conn.execute(query).all())


def live_flag_names(conn: Connection, *, project: str | None = None) -> list[str]:
    """Names of the flags not archived (of `project`, when given)."""
    query = select(features.c.name).where(features.c.archived_at.is_(None))
    if project is not None:
        query = query.where(features.c.project == project)
    return [row.name for row in conn.execute(query.order_by(features.c.name))]


def environments_named(conn: Connection, *, names: list[str], environment: str) -> list[Any]:
    """The feature-environment rows of these flags in `environment`, by flag name."""
    if not names:
        return []
    query = (
        select(feature_environments)
        .where(
            feature_environments.c.feature_name.in_(names),
            feature_environments.c.environment == environment,
        )
        .order_by(feature_environments.c.feature_name)
    )
    return list(conn.execute(query).all())


def dependencies_of_children(conn: Connection, *, names: list[str]) -> list[Any]:
    """The dependency rows whose child is one of `names`, by child then parent."""
    if not names:
        return []
    query = (
        select(feature_dependencies)
        .where(feature_dependencies.c.child.in_(names))
        .order_by(feature_dependencies.c.child, feature_dependencies.c.parent)
    )
    return list(conn.execute(query).all())


def has_strategies_in(conn: Connection, *, names: list[str], environment: str) -> bool:
    if not names:
        return False
    query = select(feature_strategies.c.id).where(
        feature_strategies.c.feature_name.in_(names),
        feature_strategies.c.environment == environment,
    )
    return conn.execute(query.limit(1)).first() is not None


def delete_strategies_of(conn: Connection, *, names: list[str], environment: str) -> list[str]:
    """Deletes the strategies of these flags in `environment`; returns their ids."""
    if not names:
        return []
    where = (
        feature_strategies.c.feature_name.in_(names),
        feature_strategies.c.environment == environment,
    )
    ids = [row.id for row in conn.execute(select(feature_strategies.c.id).where(*where))]
    if ids:
        conn.execute(delete(feature_strategies).where(*where))
    return ids
