"""SQL for the instance statistics: counts over the tables of other packages, read only."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, distinct, func, select, union_all

from leash.context.models import context_fields
from leash.events.models import events
from leash.features.models import feature_strategies, features
from leash.maintenance.models import settings
from leash.metrics.models import client_instances, client_metrics
from leash.projects.models import environments, projects
from leash.segments.models import segments
from leash.strategy_definitions.models import strategies
from leash.tokens.models import api_tokens
from leash.users.models import personal_access_tokens, roles, users


def _count(conn: Connection, table: Any, *where: Any) -> int:
    query = select(func.count()).select_from(table)
    for condition in where:
        query = query.where(condition)
    return int(conn.execute(query).scalar_one())


def flag_count(conn: Connection, *, archived: bool) -> int:
    archived_at = features.c.archived_at
    return _count(conn, features, archived_at.is_not(None) if archived else archived_at.is_(None))


def user_count(conn: Connection) -> int:
    return _count(conn, users)


def licensed_user_count(conn: Connection) -> int:
    """Unleash counts distinct e-mail addresses (users without one are not licensed seats)."""
    query = select(func.count(distinct(users.c.email))).where(users.c.email.is_not(None))
    return int(conn.execute(query).scalar_one())


def users_seen_since(conn: Connection, *, since: datetime) -> int:
    """Users seen (by a login session or one of their PATs) after `since`, as Unleash joins
    users.seen_at with personal_access_tokens.seen_at."""
    seen = union_all(
        select(users.c.id.label("user_id"), users.c.seen_at.label("seen_at")),
        select(personal_access_tokens.c.user_id, personal_access_tokens.c.seen_at),
    ).subquery()
    query = select(func.count(distinct(seen.c.user_id))).where(seen.c.seen_at > since)
    return int(conn.execute(query).scalar_one())


def tokens_by_type(conn: Connection) -> dict[str, int]:
    query = (
        select(api_tokens.c.type, func.count())
        .group_by(api_tokens.c.type)
        .order_by(api_tokens.c.type)
    )
    return {str(kind): int(count) for kind, count in conn.execute(query)}


def table_counts(conn: Connection) -> dict[str, int]:
    return {
        "projects": _count(conn, projects),
        "contextFields": _count(conn, context_fields),
        "roles": _count(conn, roles),
        "environments": _count(conn, environments),
        "segments": _count(conn, segments),
        "strategies": _count(conn, strategies),
    }


def applications_seen(conn: Connection, *, since: datetime | None) -> int:
    names = select(client_instances.c.app_name).group_by(client_instances.c.app_name)
    if since is not None:
        names = names.where(client_instances.c.last_seen > since)
    query = select(func.count()).select_from(names.subquery())
    return int(conn.execute(query).scalar_one())


def event_count(conn: Connection, *, event_type: str) -> int:
    return _count(conn, events, events.c.type == event_type)


def production_changes_since(conn: Connection, *, since: datetime) -> int:
    production = select(environments.c.name).where(environments.c.type == "production")
    return _count(
        conn,
        events,
        events.c.environment.in_(production.scalar_subquery()),
        events.c.created_at > since,
    )


def metric_buckets(conn: Connection, *, start: datetime, end: datetime) -> Iterator[Any]:
    """The hourly buckets (their variant counts) stored between `start` and `end`."""
    query = select(client_metrics.c.variants).where(
        client_metrics.c.timestamp >= start, client_metrics.c.timestamp < end
    )
    for (variants,) in conn.execute(query):
        yield variants


def active_strategies(conn: Connection) -> Iterator[tuple[str, str, Any]]:
    """(flag, environment, constraints) of every strategy of a flag not archived."""
    query = (
        select(
            feature_strategies.c.feature_name,
            feature_strategies.c.environment,
            feature_strategies.c.constraints,
        )
        .join(features, features.c.name == feature_strategies.c.feature_name)
        .where(features.c.archived_at.is_(None))
    )
    for name, environment, constraints in conn.execute(query):
        yield str(name), str(environment), constraints


def setting(conn: Connection, *, name: str) -> Any:
    return conn.execute(
        select(settings.c.content).where(settings.c.name == name)
    ).scalar_one_or_none()
