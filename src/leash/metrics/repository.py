from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from leash.events.models import events
from leash.features.models import feature_environments, features
from leash.metrics.models import (
    client_applications,
    client_applications_usage,
    client_instances,
    client_metrics,
    unknown_flags,
)
from leash.metrics.seen import Seen

# Rows one INSERT carries: well under SQLite's and PostgreSQL's bound-parameter limits.
CHUNK = 200


def _dialect(conn: Connection) -> Any:
    return postgresql if conn.dialect.name == "postgresql" else sqlite


def _chunks(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return [rows[i : i + CHUNK] for i in range(0, len(rows), CHUNK)]


def bulk_register(conn: Connection, *, instances: Sequence[Seen], now: datetime) -> None:
    """Unleash's bulkAdd: applications inserted (an existing one only marked as seen),
    their usage per project and environment added, instances upserted."""
    groups: dict[tuple[str, str], tuple[Seen, list[str]]] = {}
    for seen in instances:
        key = (seen.app_name, seen.environment)
        projects = groups[key][1] if key in groups else []
        groups[key] = (seen, projects + seen.projects)
    apps: dict[str, Seen] = {}
    usage: dict[tuple[str, str, str], None] = {}
    for (app_name, environment), (seen, projects) in groups.items():
        apps[app_name] = seen
        for project in projects or ["*"]:
            usage[(app_name, project, environment or "*")] = None
    dialect = _dialect(conn)
    app_rows = [
        {
            "app_name": name,
            "strategies": seen.strategies or [],
            "created_by": seen.created_by,
            "created_at": now,
            "updated_at": now,
            "seen_at": now,
        }
        for name, seen in sorted(apps.items())
    ]
    for chunk in _chunks(app_rows):
        query = dialect.insert(client_applications).values(chunk)
        conn.execute(
            query.on_conflict_do_update(
                index_elements=["app_name"],
                set_={"updated_at": query.excluded.updated_at, "seen_at": query.excluded.seen_at},
            )
        )
    usage_rows = [{"app_name": a, "project": p, "environment": e} for a, p, e in sorted(usage)]
    for chunk in _chunks(usage_rows):
        conn.execute(
            dialect.insert(client_applications_usage).values(chunk).on_conflict_do_nothing()
        )
    for seen in sorted(instances, key=lambda s: (s.app_name, s.instance_id)):
        _upsert_instance(conn, seen=seen, now=now)


def _upsert_instance(conn: Connection, *, seen: Seen, now: datetime) -> None:
    """Only what the instance told is changed (Unleash merges the columns it was given)."""
    values: dict[str, Any] = {"client_ip": seen.client_ip, "last_seen": now}
    if seen.sdk_version is not None:
        values["sdk_version"] = seen.sdk_version
    if seen.sdk_type is not None:
        values["sdk_type"] = seen.sdk_type
    row = {
        "app_name": seen.app_name,
        "instance_id": seen.instance_id,
        "environment": seen.environment,
        "created_at": now,
        **values,
    }
    query = _dialect(conn).insert(client_instances).values(row)
    conn.execute(
        query.on_conflict_do_update(
            index_elements=["app_name", "instance_id", "environment"], set_=values
        )
    )


def mark_seen(conn: Connection, *, pairs: Sequence[tuple[str, str]], now: datetime) -> None:
    """Unleash's last-seen store: the flags and their environments SDKs reported, seen now."""
    names = sorted({name for name, _ in pairs})
    for i in range(0, len(names), CHUNK):
        conn.execute(
            update(features)
            .where(features.c.name.in_(names[i : i + CHUNK]))
            .values(last_seen_at=now)
        )
    for name, environment in sorted(set(pairs)):
        conn.execute(
            update(feature_environments)
            .where(feature_environments.c.feature_name == name)
            .where(feature_environments.c.environment == environment)
            .values(last_seen_at=now)
        )


def add_counts(
    conn: Connection,
    *,
    feature_name: str,
    app_name: str,
    environment: str,
    hour: datetime,
    yes: int,
    no: int,
    variants: dict[str, int],
) -> None:
    key = (
        (client_metrics.c.feature_name == feature_name)
        & (client_metrics.c.app_name == app_name)
        & (client_metrics.c.environment == environment)
        & (client_metrics.c.timestamp == hour)
    )
    row = conn.execute(
        select(client_metrics.c.yes, client_metrics.c.no, client_metrics.c.variants).where(key)
    ).first()
    if row is None:
        conn.execute(
            client_metrics.insert().values(
                feature_name=feature_name,
                app_name=app_name,
                environment=environment,
                timestamp=hour,
                yes=yes,
                no=no,
                variants=variants,
            )
        )
        return
    merged = dict(row.variants)
    for name, count in variants.items():
        merged[name] = merged.get(name, 0) + count
    conn.execute(
        client_metrics.update()
        .where(key)
        .values(yes=row.yes + yes, no=row.no + no, variants=merged)
    )


def feature_usage(conn: Connection, *, feature_name: str, since: datetime) -> list[Any]:
    query = (
        select(client_metrics)
        .where(client_metrics.c.feature_name == feature_name)
        .where(client_metrics.c.timestamp >= since)
        .order_by(
            client_metrics.c.timestamp, client_metrics.c.environment, client_metrics.c.app_name
        )
    )
    return list(conn.execute(query).all())


def applications_seen(conn: Connection, *, feature_name: str, since: datetime) -> list[str]:
    query = (
        select(client_metrics.c.app_name)
        .where(client_metrics.c.feature_name == feature_name)
        .where(client_metrics.c.timestamp >= since)
        .distinct()
        .order_by(client_metrics.c.app_name)
    )
    return [row.app_name for row in conn.execute(query)]


def existing_flags(conn: Connection, *, names: list[str]) -> set[str]:
    """Which of `names` are flags, archived ones included (Unleash counts those too)."""
    if not names:
        return set()
    query = select(features.c.name).where(features.c.name.in_(names))
    return {row.name for row in conn.execute(query)}


# -- applications -----------------------------------------------------------------------------


def _search(terms: Sequence[str]) -> Any:
    """Unleash's `app_name ILIKE ANY (ARRAY['%term%', ...])`: `%` and `_` stay wildcards."""
    return or_(*(client_applications.c.app_name.ilike(f"%{term}%") for term in terms))


def application_page(
    conn: Connection, *, terms: Sequence[str], offset: int, limit: int, descending: bool
) -> tuple[list[Any], int]:
    """One page of applications by name, and how many match in all."""
    where = [_search(terms)] if terms else []
    total = conn.execute(select(func.count()).select_from(client_applications).where(*where))
    order = client_applications.c.app_name.desc() if descending else client_applications.c.app_name
    query = select(client_applications).where(*where).order_by(order).offset(offset).limit(limit)
    return list(conn.execute(query).all()), int(total.scalar_one())


def usage_of(conn: Connection, *, app_names: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
    """(project, environment) pairs of each application, by project and environment."""
    found: dict[str, list[tuple[str, str]]] = {}
    if not app_names:
        return found
    query = (
        select(client_applications_usage)
        .where(client_applications_usage.c.app_name.in_(list(app_names)))
        .order_by(
            client_applications_usage.c.app_name,
            client_applications_usage.c.project,
            client_applications_usage.c.environment,
        )
    )
    for row in conn.execute(query):
        found.setdefault(row.app_name, []).append((row.project, row.environment))
    return found


def application(conn: Connection, *, app_name: str) -> Any | None:
    query = select(client_applications).where(client_applications.c.app_name == app_name)
    return conn.execute(query).one_or_none()


def application_names(conn: Connection) -> list[str]:
    return list(conn.execute(select(client_applications.c.app_name)).scalars())


def upsert_application(
    conn: Connection, *, app_name: str, values: dict[str, Any], now: datetime
) -> None:
    """Unleash's upsert: the columns given are written, the others kept."""
    dialect = _dialect(conn)
    given = {"updated_at": now, "seen_at": now, **values}
    row = {"app_name": app_name, "created_at": now, "strategies": [], **given}
    query = dialect.insert(client_applications).values(row)
    conn.execute(query.on_conflict_do_update(index_elements=["app_name"], set_=given))
    usage = {"app_name": app_name, "project": "*", "environment": "*"}
    conn.execute(dialect.insert(client_applications_usage).values(usage).on_conflict_do_nothing())


def delete_application(conn: Connection, *, app_name: str) -> None:
    conn.execute(delete(client_instances).where(client_instances.c.app_name == app_name))
    conn.execute(
        delete(client_applications_usage).where(client_applications_usage.c.app_name == app_name)
    )
    conn.execute(delete(client_applications).where(client_applications.c.app_name == app_name))


def instances_of(
    conn: Connection,
    *,
    app_name: str,
    environment: str | None = None,
    since: datetime | None = None,
) -> list[Any]:
    """An application's instances, last seen first (at most 1,000 when recent ones are asked)."""
    query = select(client_instances).where(client_instances.c.app_name == app_name)
    if environment is not None:
        query = query.where(client_instances.c.environment == environment)
    if since is not None:
        query = query.where(client_instances.c.last_seen >= since).limit(1000)
    query = query.order_by(
        client_instances.c.last_seen.desc(),
        client_instances.c.created_at,
        client_instances.c.instance_id,
    )
    return list(conn.execute(query).all())


def seen_flags(conn: Connection, *, app_name: str, since: datetime) -> list[str]:
    query = (
        select(client_metrics.c.feature_name)
        .where(client_metrics.c.app_name == app_name)
        .where(client_metrics.c.timestamp >= since)
        .distinct()
        .order_by(client_metrics.c.feature_name)
    )
    return list(conn.execute(query).scalars())


def live_flags(conn: Connection, *, names: Sequence[str]) -> dict[str, Any]:
    """Flags by name that are not archived."""
    if not names:
        return {}
    query = (
        select(features)
        .where(features.c.name.in_(list(names)))
        .where(features.c.archived_at.is_(None))
    )
    return {row.name: row for row in conn.execute(query)}


def flags_by_environment(conn: Connection, *, app_name: str) -> list[Any]:
    """(environment, project or None, flag) an application reported, for its overview."""
    query = (
        select(client_metrics.c.environment, features.c.project, client_metrics.c.feature_name)
        .select_from(
            client_metrics.outerjoin(features, features.c.name == client_metrics.c.feature_name)
        )
        .where(client_metrics.c.app_name == app_name)
        .distinct()
        .order_by(client_metrics.c.environment, features.c.project, client_metrics.c.feature_name)
    )
    return list(conn.execute(query).all())


def instances_by_sdk(conn: Connection) -> list[Any]:
    """(sdk_version, app_name) pairs of every instance."""
    query = (
        select(client_instances.c.sdk_version, client_instances.c.app_name)
        .distinct()
        .order_by(client_instances.c.sdk_version, client_instances.c.app_name)
    )
    return list(conn.execute(query).all())


def raw_metrics(conn: Connection, *, feature_name: str, since: datetime) -> list[Any]:
    query = (
        select(client_metrics)
        .where(client_metrics.c.feature_name == feature_name)
        .where(client_metrics.c.timestamp >= since)
        .order_by(
            client_metrics.c.timestamp, client_metrics.c.environment, client_metrics.c.app_name
        )
    )
    return list(conn.execute(query).all())


def delete_metrics_before(conn: Connection, *, moment: datetime) -> int:
    """Unleash's clearMetrics: hourly rows at or before `moment` deleted."""
    result = conn.execute(delete(client_metrics).where(client_metrics.c.timestamp <= moment))
    return int(result.rowcount or 0)


def project_application_rows(conn: Connection, *, project: str, terms: Sequence[str]) -> list[Any]:
    """(app_name, environment, instance_id, sdk_version) of the applications that reported a
    flag of `project` in an environment, with that environment's instances (Unleash's
    getApplicationsByProject before its paging), by application."""
    reported = (
        select(client_metrics.c.app_name, client_metrics.c.environment)
        .select_from(
            client_metrics.join(features, features.c.name == client_metrics.c.feature_name)
        )
        .where(features.c.project == project)
        .distinct()
        .subquery()
    )
    query = (
        select(
            reported.c.app_name,
            reported.c.environment,
            client_instances.c.instance_id,
            client_instances.c.sdk_version,
        )
        .select_from(
            reported.join(
                client_applications, client_applications.c.app_name == reported.c.app_name
            ).outerjoin(
                client_instances,
                (client_instances.c.app_name == reported.c.app_name)
                & (client_instances.c.environment == reported.c.environment),
            )
        )
        .order_by(reported.c.app_name, reported.c.environment, client_instances.c.instance_id)
    )
    if terms:
        columns = (
            reported.c.app_name,
            reported.c.environment,
            client_instances.c.instance_id,
            client_instances.c.sdk_version,
        )
        query = query.where(
            or_(*(column.ilike(f"%{term}%") for column in columns for term in terms))
        )
    return list(conn.execute(query).all())


def project_sdk_applications(conn: Connection, *, project: str) -> list[Any]:
    """(sdk_version, app_name) of the applications that reported a flag of `project`."""
    query = (
        select(client_instances.c.sdk_version, client_metrics.c.app_name)
        .select_from(
            client_metrics.join(
                features, features.c.name == client_metrics.c.feature_name
            ).outerjoin(client_instances, client_instances.c.app_name == client_metrics.c.app_name)
        )
        .where(features.c.project == project)
        .distinct()
        .order_by(client_instances.c.sdk_version, client_metrics.c.app_name)
    )
    return list(conn.execute(query).all())


def take_unannounced(conn: Connection) -> list[Any]:
    """Applications not announced yet, now marked announced (setUnannouncedToAnnounced)."""
    query = (
        select(client_applications)
        .where(client_applications.c.announced.is_(False))
        .order_by(client_applications.c.app_name)
    )
    rows = list(conn.execute(query).all())
    if rows:
        names = [row.app_name for row in rows]
        for i in range(0, len(names), CHUNK):
            conn.execute(
                update(client_applications)
                .where(client_applications.c.app_name.in_(names[i : i + CHUNK]))
                .values(announced=True)
            )
    return rows


def upsert_unknown(conn: Connection, *, seen: dict[tuple[str, str, str], datetime]) -> None:
    """Unleash's unknown-flags insert: a later report moves `seen_at` (even backwards, as its
    merge does)."""
    rows = [
        {"name": name, "app_name": app, "environment": environment, "seen_at": at}
        for (name, app, environment), at in sorted(seen.items())
    ]
    dialect = _dialect(conn)
    for chunk in _chunks(rows):
        query = dialect.insert(unknown_flags).values(chunk)
        conn.execute(
            query.on_conflict_do_update(
                index_elements=["name", "app_name", "environment"],
                set_={"seen_at": query.excluded.seen_at},
            )
        )


def unknown_flag_rows(conn: Connection, *, limit_names: int) -> list[Any]:
    """Unknown flags that are still no flag: the first `limit_names` names, every report."""
    not_a_flag = (
        select(unknown_flags.c.name)
        .outerjoin(features, features.c.name == unknown_flags.c.name)
        .where(features.c.name.is_(None))
        .distinct()
        .order_by(unknown_flags.c.name)
        .limit(limit_names)
        .subquery()
    )
    query = (
        select(unknown_flags)
        .where(unknown_flags.c.name.in_(select(not_a_flag.c.name)))
        .order_by(unknown_flags.c.name, unknown_flags.c.app_name, unknown_flags.c.environment)
    )
    return list(conn.execute(query).all())


def last_events(conn: Connection, *, names: Sequence[str]) -> dict[str, datetime]:
    """The time of the newest event of each name, for the names that have one."""
    found: dict[str, datetime] = {}
    for i in range(0, len(names), CHUNK):
        query = (
            select(events.c.feature_name, func.max(events.c.created_at).label("at"))
            .where(events.c.feature_name.in_(list(names[i : i + CHUNK])))
            .group_by(events.c.feature_name)
        )
        found.update({row.feature_name: row.at for row in conn.execute(query)})
    return found


def delete_unknown_before(conn: Connection, *, moment: datetime) -> int:
    result = conn.execute(delete(unknown_flags).where(unknown_flags.c.seen_at <= moment))
    return int(result.rowcount or 0)
