"""SQL for the instance-admin statistics: counts over other packages' tables, read only."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, select, union_all
from sqlalchemy.exc import IntegrityError

from leash.context.models import context_fields
from leash.events.models import events
from leash.features.models import feature_strategies, features
from leash.maintenance import repository as settings
from leash.metrics.models import client_instances
from leash.projects.models import environments, projects
from leash.segments.models import segments
from leash.strategy_definitions.models import strategies
from leash.tokens.models import api_tokens
from leash.users.models import personal_access_tokens, roles, users

# Unleash keeps its instance id in the settings table under this name.
_INSTANCE_INFO = "instanceInfo"


def _count(conn: Connection, table: Any, *where: Any) -> int:
    return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


def instance_id(conn: Connection) -> str:
    """The instance's id, made once: the first caller's insert wins, a racing one rereads."""
    stored = settings.get(conn, name=_INSTANCE_INFO)
    if isinstance(stored, dict) and isinstance(stored.get("id"), str):
        return str(stored["id"])
    made = str(uuid.uuid4())
    try:
        with conn.begin_nested():
            settings.insert_setting(conn, name=_INSTANCE_INFO, content={"id": made})
    except IntegrityError:
        return str(settings.get(conn, name=_INSTANCE_INFO)["id"])
    return made


def counts(conn: Connection) -> dict[str, int]:
    return {
        "users": _count(conn, users),
        "featureToggles": _count(conn, features, features.c.archived_at.is_(None)),
        "archivedFeatureToggles": _count(conn, features, features.c.archived_at.is_not(None)),
        "projects": _count(conn, projects),
        "contextFields": _count(conn, context_fields),
        "roles": _count(conn, roles),
        "environments": _count(conn, environments),
        "segments": _count(conn, segments),
        "strategies": _count(conn, strategies),
        "featureExports": _count(conn, events, events.c.type == "features-exported"),
        "featureImports": _count(conn, events, events.c.type == "features-imported"),
    }


def role_names(conn: Connection) -> set[str]:
    return set(conn.execute(select(roles.c.name)).scalars())


# The order 8.2 listed token types in on PostgreSQL (a GROUP BY's, unspecified); kept fixed.
_TOKEN_TYPE_ORDER = ("client", "admin", "frontend", "backend")


def tokens_by_type(conn: Connection) -> dict[str, int]:
    query = select(api_tokens.c.type, func.count()).group_by(api_tokens.c.type)
    found = {str(kind): int(n) for kind, n in conn.execute(query)}
    rank = {kind: i for i, kind in enumerate(_TOKEN_TYPE_ORDER)}
    return dict(sorted(found.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0])))


def user_seen_times(conn: Connection) -> list[tuple[int, datetime]]:
    """(user id, seen at) of users and of their personal tokens, as Unleash combines them."""
    combined = union_all(
        select(users.c.id, users.c.seen_at).where(users.c.seen_at.is_not(None)),
        select(personal_access_tokens.c.user_id, personal_access_tokens.c.seen_at).where(
            personal_access_tokens.c.seen_at.is_not(None)
        ),
    )
    return [(int(row[0]), row[1]) for row in conn.execute(combined)]


def applications_seen_since(conn: Connection, *, since: datetime | None) -> int:
    query = select(func.count(func.distinct(client_instances.c.app_name)))
    if since is not None:
        query = query.where(client_instances.c.last_seen > since)
    return int(conn.execute(query).scalar_one())


def production_changes_since(conn: Connection, *, now: datetime, days: int) -> int:
    """Events on production-type environments: what Unleash's stat_environment_updates sums."""
    production = select(environments.c.name).where(environments.c.type == "production")
    query = (
        select(func.count())
        .select_from(events)
        .where(events.c.environment.in_(production))
        .where(events.c.created_at > now - timedelta(days=days))
    )
    return int(conn.execute(query).scalar_one())


def active_strategies(conn: Connection) -> list[tuple[str, str, Any]]:
    """(flag, environment, constraints) of every strategy of an unarchived flag."""
    query = (
        select(
            feature_strategies.c.feature_name,
            feature_strategies.c.environment,
            feature_strategies.c.constraints,
        )
        .join(features, features.c.name == feature_strategies.c.feature_name)
        .where(features.c.archived_at.is_(None))
    )
    return [(row[0], row[1], row[2]) for row in conn.execute(query)]


def strategies_per_environment(rows: list[tuple[str, str, Any]]) -> int:
    per = Counter((flag, env) for flag, env, _ in rows)
    return max(per.values(), default=0)
