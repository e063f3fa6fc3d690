from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from leash.db.base import utcnow
from leash.features.models import features
from leash.metrics.models import client_applications, client_instances, client_metrics


def upsert_application(conn: Connection, *, app_name: str, strategies: list[str]) -> None:
    now = utcnow()
    existing = conn.execute(
        select(client_applications.c.app_name).where(client_applications.c.app_name == app_name)
    ).first()
    if existing is None:
        conn.execute(
            client_applications.insert().values(
                app_name=app_name, strategies=strategies, created_at=now, updated_at=now
            )
        )
    else:
        conn.execute(
            client_applications.update()
            .where(client_applications.c.app_name == app_name)
            .values(strategies=strategies, updated_at=now)
        )


def upsert_instance(
    conn: Connection,
    *,
    app_name: str,
    instance_id: str,
    environment: str,
    sdk_version: str | None,
    client_ip: str | None,
) -> None:
    now = utcnow()
    key = (
        (client_instances.c.app_name == app_name)
        & (client_instances.c.instance_id == instance_id)
        & (client_instances.c.environment == environment)
    )
    if conn.execute(select(client_instances.c.app_name).where(key)).first() is None:
        conn.execute(
            client_instances.insert().values(
                app_name=app_name,
                instance_id=instance_id,
                environment=environment,
                sdk_version=sdk_version,
                client_ip=client_ip,
                last_seen=now,
                created_at=now,
            )
        )
    else:
        values: dict[str, Any] = {"last_seen": now, "client_ip": client_ip}
        if sdk_version is not None:
            values["sdk_version"] = sdk_version
        conn.execute(client_instances.update().where(key).values(**values))


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
