"""SQL for lifecycle stages (Unleash's feature-lifecycle store)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from leash.db.base import utcnow
from leash.features.models import feature_environments, features
from leash.lifecycle.models import feature_lifecycles
from leash.projects.models import environments

STAGES = ("initial", "pre-live", "live", "completed", "archived")
# Unleash's getCurrentStage: the latest of these a flag has entered.
_PREFERRED = ("archived", "completed", "live", "pre-live", "initial")


def enter(
    conn: Connection,
    *,
    names: list[str],
    stage: str,
    status: str | None = None,
    status_value: str | None = None,
) -> None:
    """Each flag of `names` enters `stage`, unless it already did (Unleash's insert ignores the
    conflict, so a stage keeps the time it was first entered)."""
    if not names:
        return
    known = set(
        conn.execute(
            select(feature_lifecycles.c.feature).where(
                feature_lifecycles.c.feature.in_(names), feature_lifecycles.c.stage == stage
            )
        ).scalars()
    )
    existing = set(
        conn.execute(select(features.c.name).where(features.c.name.in_(names))).scalars()
    )
    base = utcnow()
    rows: list[dict[str, Any]] = []
    for name in dict.fromkeys(names):
        if name in existing and name not in known:
            # As Unleash: a millisecond apart, so stages of one bulk change keep their order.
            at = base + timedelta(milliseconds=len(rows))
            rows.append(
                {
                    "feature": name,
                    "stage": stage,
                    "status": status,
                    "status_value": status_value,
                    "created_at": at,
                }
            )
    if rows:
        conn.execute(insert(feature_lifecycles), rows)


def stages_of(conn: Connection, *, name: str) -> list[dict[str, Any]]:
    query = (
        select(feature_lifecycles)
        .where(feature_lifecycles.c.feature == name)
        .order_by(feature_lifecycles.c.created_at, feature_lifecycles.c.stage)
    )
    return [_stage(row) for row in conn.execute(query)]


def stages_by_flag(conn: Connection, *, names: list[str]) -> dict[str, list[dict[str, Any]]]:
    result: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if not names:
        return result
    query = (
        select(feature_lifecycles)
        .where(feature_lifecycles.c.feature.in_(names))
        .order_by(feature_lifecycles.c.created_at, feature_lifecycles.c.stage)
    )
    for row in conn.execute(query):
        result[row.feature].append(_stage(row))
    return result


def _stage(row: Any) -> dict[str, Any]:
    stage: dict[str, Any] = {"stage": row.stage}
    if row.status:
        stage["status"] = row.status
    stage["enteredStageAt"] = row.created_at
    return stage


def current(stages: list[dict[str, Any]]) -> dict[str, Any] | None:
    for preferred in _PREFERRED:
        for stage in stages:
            if stage["stage"] == preferred:
                return stage
    return None


def forget(conn: Connection, *, names: list[str], stage: str | None = None) -> None:
    """Remove the flags' stages (all of them, or one)."""
    if not names:
        return
    query = delete(feature_lifecycles).where(feature_lifecycles.c.feature.in_(names))
    if stage is not None:
        query = query.where(feature_lifecycles.c.stage == stage)
    conn.execute(query)


def latest_stage_counts(conn: Connection) -> dict[str, int]:
    """Per stage, how many flags entered it last (Unleash's getStageCount: the latest row of
    each flag that still exists, archived flags included)."""
    latest = (
        select(feature_lifecycles.c.feature, func.max(feature_lifecycles.c.created_at).label("at"))
        .group_by(feature_lifecycles.c.feature)
        .subquery()
    )
    query = (
        select(feature_lifecycles.c.feature, feature_lifecycles.c.stage)
        .join(
            latest,
            (latest.c.feature == feature_lifecycles.c.feature)
            & (latest.c.at == feature_lifecycles.c.created_at),
        )
        .join(features, features.c.name == feature_lifecycles.c.feature)
        .order_by(feature_lifecycles.c.feature, feature_lifecycles.c.stage)
    )
    chosen: dict[str, str] = {}
    for row in conn.execute(query):
        # Two stages entered in the same millisecond: either is the latest; keep one.
        chosen.setdefault(row.feature, row.stage)
    counts: dict[str, int] = dict.fromkeys(STAGES, 0)
    for stage in chosen.values():
        counts[stage] = counts.get(stage, 0) + 1
    return counts


def environment_type(conn: Connection, *, environment: str) -> str | None:
    query = select(environments.c.type).where(environments.c.name == environment)
    found: str | None = conn.execute(query).scalar_one_or_none()
    return found


def enabled_in(conn: Connection, *, environment: str, names: list[str]) -> list[str]:
    """Those of `names` enabled in `environment`, in the order given."""
    query = select(feature_environments.c.feature_name).where(
        feature_environments.c.environment == environment,
        feature_environments.c.feature_name.in_(names),
        feature_environments.c.enabled.is_(True),
    )
    enabled = set(conn.execute(query).scalars())
    return [name for name in dict.fromkeys(names) if name in enabled]
