"""SQL of the project reports (overview, health, insights, status, DORA, flag creators)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, String, cast, func, select

from leash.events.models import events
from leash.features.models import (
    feature_environments,
    feature_strategies,
    feature_tags,
    features,
)
from leash.projects.models import environments, project_environments, projects
from leash.segments.models import segments
from leash.users.models import role_user, roles, users


def project(conn: Connection, *, project_id: str) -> Any | None:
    return conn.execute(select(projects).where(projects.c.id == project_id)).first()


def linked_environments(conn: Connection, *, project_id: str) -> list[Any]:
    query = (
        select(project_environments.c.environment_name, project_environments.c.default_strategy)
        .join(environments, environments.c.name == project_environments.c.environment_name)
        .where(project_environments.c.project_id == project_id)
        .order_by(environments.c.sort_order, project_environments.c.environment_name)
    )
    return list(conn.execute(query).all())


def live_flags(conn: Connection, *, project_id: str) -> list[Any]:
    """The project's flags not archived, oldest first."""
    query = (
        select(features)
        .where(features.c.project == project_id, features.c.archived_at.is_(None))
        .order_by(features.c.created_at, features.c.name)
    )
    return list(conn.execute(query).all())


def flag_tag_rows(conn: Connection, *, project_id: str) -> list[Any]:
    """The tags of the project's flags; Unleash's join has no order, this one is stable."""
    query = (
        select(feature_tags.c.feature_name, feature_tags.c.tag_type, feature_tags.c.tag_value)
        .join(features, features.c.name == feature_tags.c.feature_name)
        .where(features.c.project == project_id)
        .order_by(feature_tags.c.feature_name, feature_tags.c.tag_type, feature_tags.c.tag_value)
    )
    return list(conn.execute(query).all())


def archived_flags(conn: Connection, *, project_id: str) -> list[Any]:
    query = select(features.c.name, features.c.created_at, features.c.archived_at).where(
        features.c.project == project_id, features.c.archived_at.is_not(None)
    )
    return list(conn.execute(query).all())


def flag_environment_rows(conn: Connection, *, project_id: str) -> list[Any]:
    """Each live flag's environment rows, with whether it has (enabled) strategies there."""
    has = (
        select(func.count())
        .where(
            feature_strategies.c.feature_name == feature_environments.c.feature_name,
            feature_strategies.c.environment == feature_environments.c.environment,
        )
        .scalar_subquery()
    )
    has_enabled = (
        select(func.count())
        .where(
            feature_strategies.c.feature_name == feature_environments.c.feature_name,
            feature_strategies.c.environment == feature_environments.c.environment,
            feature_strategies.c.disabled.is_(False),
        )
        .scalar_subquery()
    )
    query = (
        select(
            feature_environments.c.feature_name,
            feature_environments.c.environment,
            feature_environments.c.enabled,
            feature_environments.c.variants,
            feature_environments.c.last_seen_at,
            environments.c.type,
            environments.c.sort_order,
            has.label("strategies"),
            has_enabled.label("enabled_strategies"),
        )
        .join(features, features.c.name == feature_environments.c.feature_name)
        .join(environments, environments.c.name == feature_environments.c.environment)
        .where(features.c.project == project_id, features.c.archived_at.is_(None))
    )
    return list(conn.execute(query).all())


def first_production_enables(conn: Connection, *, project_id: str) -> list[Any]:
    """Release flags of the project with the first time each was turned on in a production
    environment after it was created (Unleash's time to production), by flag name."""
    query = (
        select(
            events.c.feature_name,
            func.min(events.c.created_at).label("enabled"),
            features.c.created_at.label("created"),
        )
        .join(environments, environments.c.name == events.c.environment)
        .join(features, features.c.name == events.c.feature_name)
        .where(
            events.c.type == "feature-environment-enabled",
            environments.c.type == "production",
            features.c.type == "release",
            events.c.created_at > features.c.created_at,
            features.c.project == project_id,
        )
        .group_by(events.c.feature_name, features.c.created_at)
        .order_by(events.c.feature_name)
    )
    return list(conn.execute(query).all())


def flag_creator_ids(conn: Connection, *, project_id: str) -> list[int]:
    query = (
        select(features.c.created_by_user_id)
        .where(
            features.c.project == project_id,
            features.c.archived_at.is_(None),
            features.c.created_by_user_id.is_not(None),
        )
        .distinct()
    )
    return sorted(int(row[0]) for row in conn.execute(query))


def users_by_id(conn: Connection, *, ids: list[int]) -> dict[int, Any]:
    if not ids:
        return {}
    query = select(users.c.id, users.c.name, users.c.username, users.c.email).where(
        users.c.id.in_(ids)
    )
    return {int(row.id): row for row in conn.execute(query)}


def members_added_since(conn: Connection, *, project_id: str, since: datetime) -> int:
    query = (
        select(func.count(func.distinct(role_user.c.user_id)))
        .join(roles, roles.c.id == role_user.c.role_id)
        .where(
            role_user.c.project == project_id,
            roles.c.type != "root",
            role_user.c.created_at >= since,
        )
    )
    return int(conn.execute(query).scalar() or 0)


def segment_count(conn: Connection, *, project_id: str) -> int:
    query = select(func.count()).where(segments.c.segment_project_id == project_id)
    return int(conn.execute(query).scalar() or 0)


def event_days(conn: Connection, *, project_id: str, since: datetime) -> list[Any]:
    """(YYYY-MM-DD, count) of the project's events since `since`, by day (UTC), oldest first."""
    if conn.dialect.name == "postgresql":
        day = func.to_char(func.timezone("UTC", events.c.created_at), "YYYY-MM-DD")
    else:
        day = func.substr(cast(events.c.created_at, String), 1, 10)
    query = (
        select(day.label("day"), func.count().label("count"))
        .where(events.c.project == project_id, events.c.created_at >= since)
        .group_by(day)
        .order_by(day)
    )
    return list(conn.execute(query).all())


def user_project_ids(conn: Connection, *, user_id: int) -> set[str]:
    """Projects the user has a role in. Unleash stores a root role as a role in "default"
    (leash keeps it on the user), so every user is in "default"."""
    query = select(role_user.c.project).where(role_user.c.user_id == user_id)
    found = {row.project for row in conn.execute(query)}
    if conn.execute(select(users.c.id).where(users.c.id == user_id)).first() is not None:
        found.add("default")
    return found


def project_flag_counts(conn: Connection) -> dict[str, int]:
    query = (
        select(features.c.project, func.count().label("count"))
        .where(features.c.archived_at.is_(None))
        .group_by(features.c.project)
    )
    return {row.project: int(row[1]) for row in conn.execute(query)}


def all_projects(conn: Connection) -> list[Any]:
    return list(conn.execute(select(projects).order_by(projects.c.name)).all())


def created_flags(conn: Connection, *, user_id: int) -> list[Any]:
    """Live flags the user created, newest first (Unleash lists at most 100)."""
    query = (
        select(features.c.name, features.c.type, features.c.project)
        .where(features.c.created_by_user_id == user_id, features.c.archived_at.is_(None))
        .order_by(features.c.created_at.desc())
        .limit(100)
    )
    return list(conn.execute(query).all())


def admins(conn: Connection, *, admin_role: int) -> list[Any]:
    query = (
        select(users.c.id, users.c.name, users.c.username, users.c.email)
        .where(users.c.root_role_id == admin_role)
        .order_by(users.c.id)
    )
    return list(conn.execute(query).all())


def project_roles_of(conn: Connection, *, user_id: int, project_id: str) -> list[Any]:
    query = (
        select(roles.c.id, roles.c.name, roles.c.type)
        .join(role_user, role_user.c.role_id == roles.c.id)
        .where(role_user.c.user_id == user_id, role_user.c.project == project_id)
        .where(roles.c.type.in_(("project", "custom")))
        .order_by(roles.c.id)
    )
    return list(conn.execute(query).all())
