from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

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


def environment(conn: Connection, *, name: str) -> Any | None:
    return conn.execute(select(environments).where(environments.c.name == name)).first()


def set_sort_order(conn: Connection, *, name: str, sort_order: int) -> None:
    conn.execute(
        update(environments).where(environments.c.name == name).values(sort_order=sort_order)
    )


def set_environment_enabled(conn: Connection, *, name: str, enabled: bool) -> None:
    """A no-op toggle writes nothing."""
    query = (
        update(environments)
        .where(environments.c.name == name, environments.c.enabled.is_(not enabled))
        .values(enabled=enabled)
    )
    conn.execute(query)


def project_environment_rows(conn: Connection, *, project_id: str) -> list[Any]:
    """Every environment with the project's counts, its default strategy and whether the
    project has it (`visible`), as Unleash's getProjectEnvironments joins them."""
    from leash.features.models import feature_environments, features

    enabled_count = (
        select(func.count())
        .select_from(feature_environments.join(features))
        .where(
            feature_environments.c.environment == environments.c.name,
            feature_environments.c.enabled.is_(True),
            features.c.project == project_id,
        )
        .scalar_subquery()
    )
    link = project_environments.alias("pe")
    query = (
        select(
            environments,
            enabled_count.label("enabled_count"),
            link.c.project_id.label("linked"),
            link.c.default_strategy,
        )
        .outerjoin(
            link,
            (link.c.environment_name == environments.c.name) & (link.c.project_id == project_id),
        )
        .order_by(environments.c.sort_order, environments.c.created_at)
    )
    return list(conn.execute(query).all())


def token_scopes(conn: Connection) -> list[Any]:
    """(environment, projects) of every API token: the counts per project are made from it,
    a token's projects being a JSON list."""
    from leash.tokens.models import api_tokens

    return list(conn.execute(select(api_tokens.c.environment, api_tokens.c.projects)).all())


def _insert_ignoring_duplicates(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> int:
    """Insert, leaving rows already there (a racing request's too) as they are."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    # The rows RETURNING gives back, as psycopg's rowcount of this statement is -1.
    key = next(iter(table.primary_key.columns))
    query = dialect.insert(table).values(rows).on_conflict_do_nothing().returning(key)
    return len(conn.execute(query).all())


def link_environment(conn: Connection, *, project_id: str, environment: str) -> bool:
    """False when the project has the environment already."""
    row = {"project_id": project_id, "environment_name": environment}
    return _insert_ignoring_duplicates(conn, project_environments, [row]) > 0


def connect_flags(conn: Connection, *, project_id: str, environment: str) -> None:
    """Every flag of the project (archived ones too, as Unleash) gets a disabled row in the
    environment, unless it has one."""
    from leash.features.models import feature_environments, features

    names = conn.execute(select(features.c.name).where(features.c.project == project_id))
    rows = [
        {"feature_name": name, "environment": environment, "enabled": False, "variants": []}
        for name in names.scalars()
    ]
    if rows:
        _insert_ignoring_duplicates(conn, feature_environments, rows)


def unlink_environment(conn: Connection, *, project_id: str, environment: str) -> None:
    """The project's link and its flags' rows in the environment go; their strategies stay,
    as Unleash 8.2 leaves them (they come back if the environment is added again)."""
    from sqlalchemy import delete

    from leash.features.models import feature_environments, features

    flags = select(features.c.name).where(features.c.project == project_id)
    conn.execute(
        delete(feature_environments).where(
            feature_environments.c.environment == environment,
            feature_environments.c.feature_name.in_(flags),
        )
    )
    conn.execute(
        delete(project_environments).where(
            project_environments.c.project_id == project_id,
            project_environments.c.environment_name == environment,
        )
    )


def lock_project_environment(conn: Connection, *, project_id: str, environment: str) -> Any:
    query = (
        select(project_environments.c.default_strategy)
        .where(
            project_environments.c.project_id == project_id,
            project_environments.c.environment_name == environment,
        )
        .with_for_update()
    )
    return conn.execute(query).first()


def set_default_strategy(
    conn: Connection, *, project_id: str, environment: str, strategy: dict[str, Any]
) -> None:
    conn.execute(
        update(project_environments)
        .where(
            project_environments.c.project_id == project_id,
            project_environments.c.environment_name == environment,
        )
        .values(default_strategy=strategy)
    )
