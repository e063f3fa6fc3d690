from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from leash.events.models import events
from leash.features.models import features
from leash.metrics.models import client_metrics
from leash.projects.models import environments, project_environments, projects


def exists(conn: Connection, *, project_id: str) -> bool:
    query = select(projects.c.id).where(projects.c.id == project_id)
    return conn.execute(query).first() is not None


def all_projects(conn: Connection) -> list[Any]:
    return list(conn.execute(select(projects).order_by(projects.c.name)).all())


def all_environments(conn: Connection) -> list[Any]:
    query = select(environments).order_by(environments.c.sort_order, environments.c.name)
    return list(conn.execute(query).all())


def environment_exists(conn: Connection, *, name: str) -> bool:
    query = select(environments.c.name).where(environments.c.name == name)
    return conn.execute(query).first() is not None


def project_environment_names(conn: Connection, *, project_id: str) -> list[str]:
    query = (
        select(environments.c.name)
        .join(project_environments, project_environments.c.environment_name == environments.c.name)
        .where(project_environments.c.project_id == project_id)
        .order_by(environments.c.sort_order, environments.c.name)
    )
    return [row.name for row in conn.execute(query)]


def project_rows(conn: Connection) -> list[Any]:
    """Projects with their live flag count and the newest flag event, by name."""
    from leash.events.models import events
    from leash.features.models import features

    flag_count = (
        select(func.count())
        .where(features.c.project == projects.c.id, features.c.archived_at.is_(None))
        .scalar_subquery()
    )
    # Events of flags still in the project (archived or not), as Unleash joins them.
    last_updated = (
        select(func.max(events.c.created_at))
        .join(features, features.c.name == events.c.feature_name)
        .where(features.c.project == projects.c.id, events.c.project == projects.c.id)
        .scalar_subquery()
    )
    query = select(
        projects, flag_count.label("feature_count"), last_updated.label("last_updated")
    ).order_by(projects.c.name)
    return list(conn.execute(query).all())


def member_counts(conn: Connection) -> dict[str, int]:
    from leash.users.models import role_user, roles

    members = (
        select(role_user.c.user_id, role_user.c.project)
        .join(roles, roles.c.id == role_user.c.role_id)
        .where(roles.c.type != "root")
        .distinct()
        .subquery()
    )
    rows = conn.execute(
        select(members.c.project, func.count().label("members")).group_by(members.c.project)
    )
    return {row.project: int(row.members) for row in rows}


def owners(conn: Connection, *, owner_role: int) -> list[Any]:
    from leash.users.models import role_user, users

    query = (
        select(users.c.id, users.c.name, users.c.username, users.c.email, role_user.c.project)
        .join(role_user, role_user.c.user_id == users.c.id)
        .where(role_user.c.role_id == owner_role)
        .order_by(role_user.c.created_at, users.c.id)
    )
    return list(conn.execute(query).all())


def environment_rows(conn: Connection) -> list[Any]:
    from leash.features.models import feature_environments
    from leash.tokens.models import api_tokens

    project_count = (
        select(func.count())
        .where(project_environments.c.environment_name == environments.c.name)
        .scalar_subquery()
    )
    token_count = (
        select(func.count())
        .where(api_tokens.c.environment == environments.c.name)
        .scalar_subquery()
    )
    enabled_count = (
        select(func.count())
        .where(
            feature_environments.c.environment == environments.c.name,
            feature_environments.c.enabled.is_(True),
        )
        .scalar_subquery()
    )
    query = select(
        environments,
        project_count.label("project_count"),
        token_count.label("api_token_count"),
        enabled_count.label("enabled_toggle_count"),
    ).order_by(environments.c.sort_order, environments.c.created_at)
    return list(conn.execute(query).all())


def projects_seen_by_sdks(conn: Connection) -> set[str]:
    """Projects with a flag an SDK has reported metrics for (Unleash's last_seen_at_metrics)."""
    query = (
        select(features.c.project)
        .distinct()
        .join(client_metrics, client_metrics.c.feature_name == features.c.name)
    )
    return {row.project for row in conn.execute(query)}


def projects_with_enabled_flag_event(conn: Connection) -> set[str]:
    query = (
        select(events.c.project)
        .distinct()
        .where(events.c.type == "feature-environment-enabled", events.c.project.is_not(None))
    )
    return {row.project for row in conn.execute(query)}


def first_live_flags(conn: Connection) -> dict[str, str]:
    """Per project, its oldest flag not archived."""
    query = (
        select(features.c.project, features.c.name)
        .where(features.c.archived_at.is_(None))
        .order_by(features.c.project, features.c.created_at.desc(), features.c.name.desc())
    )
    return {row.project: row.name for row in conn.execute(query)}
