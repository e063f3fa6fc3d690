"""SQL for the flag search: the candidate flags of the filters, then a page's details."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    false,
    func,
    not_,
    or_,
    select,
    true,
    tuple_,
)

from leash.favorites.models import favorite_features
from leash.features.models import (
    feature_dependencies,
    feature_environments,
    feature_strategies,
    feature_strategy_segment,
    feature_tags,
    features,
)
from leash.lifecycle.models import feature_lifecycles
from leash.metrics.models import client_metrics
from leash.projects.models import environments
from leash.segments.models import segments
from leash.tags.models import tag_types


@dataclass(frozen=True)
class Generic:
    """IS / IS_ANY_OF / IS_NOT / IS_NONE_OF on one column."""

    column: str  # "project", "type", "created_by_user_id", "stale"
    values: tuple[Any, ...]
    negate: bool


@dataclass(frozen=True)
class Multi:
    """A tag or segment filter (INCLUDE, DO_NOT_INCLUDE, INCLUDE_ALL_OF, ...)."""

    operator: str
    values: tuple[Any, ...]  # (type, value) pairs for tags, names for segments


@dataclass
class Filters:
    generic: list[Generic] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    tags: list[Multi] = field(default_factory=list)
    segments: list[Multi] = field(default_factory=list)
    status: list[tuple[str, bool]] = field(default_factory=list)
    created_before: datetime | None = None
    created_from: datetime | None = None
    seen_before: datetime | None = None
    seen_from: datetime | None = None
    favorite: bool | None = None
    user_id: int | None = None
    archived: bool | None = None  # None: both (the lifecycle filter decides)
    nothing: bool = False  # a filter no flag can meet
    staleness: str | None = None  # a key of _STALENESS: a state filter on potentially stale


_STALE, _POTENTIALLY = features.c.stale, features.c.potentially_stale
# Unleash's applyStaleConditions for a state filter naming potentially-stale: only it, or it
# with stale; each negated (IS_NOT, IS_NONE_OF).
_STALENESS: dict[str, ColumnElement[bool]] = {
    "only": and_(_STALE.is_(false()), _POTENTIALLY.is_(true())),
    "not-only": or_(_STALE.is_(true()), _POTENTIALLY.is_(false())),
    "either": or_(_STALE.is_(true()), _POTENTIALLY.is_(true())),
    "not-either": and_(_STALE.is_(false()), _POTENTIALLY.is_(false())),
}


def _generic(item: Generic) -> ColumnElement[bool]:
    column = features.c[item.column]
    if not item.values:
        return true() if item.negate else false()
    if item.negate:
        if len(item.values) == 1:
            single: ColumnElement[bool] = column != item.values[0]
            return single
        return column.not_in(item.values)
    return column.in_(item.values)


def _tagged(pairs: tuple[Any, ...]) -> Any:
    # Row values, not an OR per pair: SQLite's expression depth stays flat however many.
    return select(feature_tags.c.feature_name).where(
        tuple_(feature_tags.c.tag_type, feature_tags.c.tag_value).in_(list(pairs))
    )


def _in_segments(names: tuple[Any, ...]) -> Any:
    return (
        select(feature_strategies.c.feature_name)
        .join(
            feature_strategy_segment,
            feature_strategy_segment.c.feature_strategy_id == feature_strategies.c.id,
        )
        .join(segments, segments.c.id == feature_strategy_segment.c.segment_id)
        .where(segments.c.name.in_(names))
    )


def _multi(item: Multi, base: Any, *, key: Any) -> ColumnElement[bool]:
    if not item.values:
        return false() if item.operator.startswith("INCLUDE") else true()
    if item.operator in ("INCLUDE", "INCLUDE_ANY_OF"):
        return features.c.name.in_(base(item.values))
    if item.operator in ("DO_NOT_INCLUDE", "EXCLUDE_IF_ANY_OF"):
        return features.c.name.not_in(base(item.values))
    # ALL_OF: as many matching rows as values asked for (Unleash's COUNT(*) = n).
    counted = base(item.values).group_by(key).having(func.count() == len(item.values))
    if item.operator == "INCLUDE_ALL_OF":
        return features.c.name.in_(counted)
    return features.c.name.not_in(counted)


def candidates(conn: Connection, *, filters: Filters) -> list[Any]:
    """Every flag the filters let through (but the lifecycle stage, checked by the service)."""
    if filters.nothing:
        return []
    where: list[ColumnElement[bool]] = [_generic(g) for g in filters.generic]
    if filters.archived is True:
        where.append(features.c.archived_at.is_not(None))
    elif filters.archived is False:
        where.append(features.c.archived_at.is_(None))
    if filters.texts:
        where.append(
            or_(
                *(
                    # As Unleash's ILIKE: % and _ stay wildcards; a backslash is a backslash.
                    func.lower(column).like(
                        "%" + text.lower().replace("\\", "\\\\") + "%", escape="\\"
                    )
                    for text in filters.texts
                    for column in (features.c.name, features.c.description)
                )
            )
        )
    for item in filters.tags:
        where.append(_multi(item, _tagged, key=feature_tags.c.feature_name))
    for item in filters.segments:
        where.append(_multi(item, _in_segments, key=feature_strategies.c.feature_name))
    if filters.status:
        matching = select(feature_environments.c.feature_name).where(
            or_(
                *(
                    and_(
                        feature_environments.c.environment == env,
                        feature_environments.c.enabled.is_(enabled),
                    )
                    for env, enabled in filters.status
                )
            )
        )
        where.append(features.c.name.in_(matching))
    if filters.staleness is not None:
        where.append(_STALENESS[filters.staleness])
    if filters.created_before is not None:
        where.append(features.c.created_at < filters.created_before)
    if filters.created_from is not None:
        where.append(features.c.created_at >= filters.created_from)
    if filters.seen_before is not None:
        where.append(features.c.last_seen_at < filters.seen_before)
    if filters.seen_from is not None:
        where.append(features.c.last_seen_at >= filters.seen_from)
    if filters.favorite is not None:
        mine = select(favorite_features.c.feature).where(
            favorite_features.c.user_id == (filters.user_id or 0)
        )
        condition = features.c.name.in_(mine)
        where.append(condition if filters.favorite else not_(condition))
    return list(conn.execute(select(features).where(*where)).all())


def latest_stages(conn: Connection, *, names: list[str]) -> dict[str, Any]:
    """Each flag's latest lifecycle row (by the time it was entered)."""
    result: dict[str, Any] = {}
    if not names:
        return result
    query = (
        select(feature_lifecycles)
        .where(feature_lifecycles.c.feature.in_(names))
        .order_by(feature_lifecycles.c.feature, feature_lifecycles.c.created_at)
    )
    for row in conn.execute(query):
        result[row.feature] = row
    return result


def favorites_of(conn: Connection, *, user_id: int | None) -> set[str]:
    if user_id is None:
        return set()
    query = select(favorite_features.c.feature).where(favorite_features.c.user_id == user_id)
    return set(conn.execute(query).scalars())


def environment_rows(conn: Connection, *, names: list[str]) -> dict[str, list[Any]]:
    result: dict[str, list[Any]] = defaultdict(list)
    if not names:
        return result
    query = (
        select(
            feature_environments,
            environments.c.type.label("environment_type"),
            environments.c.sort_order.label("environment_sort_order"),
        )
        .join(environments, environments.c.name == feature_environments.c.environment)
        .where(feature_environments.c.feature_name.in_(names))
    )
    for row in conn.execute(query):
        result[row.feature_name].append(row)
    return result


def strategy_presence(conn: Connection, *, names: list[str]) -> dict[tuple[str, str], bool]:
    """(flag, environment) -> whether any of its strategies there is enabled."""
    result: dict[tuple[str, str], bool] = {}
    if not names:
        return result
    query = select(
        feature_strategies.c.feature_name,
        feature_strategies.c.environment,
        feature_strategies.c.disabled,
    ).where(feature_strategies.c.feature_name.in_(names))
    for row in conn.execute(query):
        key = (row.feature_name, row.environment)
        result[key] = result.get(key, False) or not row.disabled
    return result


def segment_names(conn: Connection, *, names: list[str]) -> dict[str, list[str]]:
    result: dict[str, set[str]] = defaultdict(set)
    if not names:
        return {}
    query = (
        select(feature_strategies.c.feature_name, segments.c.name)
        .join(
            feature_strategy_segment,
            feature_strategy_segment.c.feature_strategy_id == feature_strategies.c.id,
        )
        .join(segments, segments.c.id == feature_strategy_segment.c.segment_id)
        .where(feature_strategies.c.feature_name.in_(names))
    )
    for row in conn.execute(query):
        result[row.feature_name].add(row.name)
    return {name: sorted(found) for name, found in result.items()}


def tags_by_flag(
    conn: Connection, *, names: list[str]
) -> dict[str, list[tuple[str, str, str | None]]]:
    """Each flag's tags as (type, value, the tag type's color)."""
    result: dict[str, list[tuple[str, str, str | None]]] = defaultdict(list)
    if not names:
        return result
    query = (
        select(
            feature_tags.c.feature_name,
            feature_tags.c.tag_type,
            feature_tags.c.tag_value,
            tag_types.c.color,
        )
        .join(tag_types, tag_types.c.name == feature_tags.c.tag_type, isouter=True)
        .where(feature_tags.c.feature_name.in_(names))
        .order_by(feature_tags.c.created_at, feature_tags.c.tag_type, feature_tags.c.tag_value)
    )
    for row in conn.execute(query):
        result[row.feature_name].append((row.tag_type, row.tag_value, row.color))
    return result


def dependency_types(conn: Connection, *, names: list[str]) -> dict[str, str]:
    result: dict[str, str] = {}
    if not names:
        return result
    query = select(feature_dependencies.c.parent, feature_dependencies.c.child).where(
        feature_dependencies.c.parent.in_(names) | feature_dependencies.c.child.in_(names)
    )
    for row in conn.execute(query):
        if row.parent in names:
            result[row.parent] = "parent"
        if row.child in names:
            result.setdefault(row.child, "child")
    return result


def metrics_since(
    conn: Connection, *, names: list[str], since: datetime
) -> dict[tuple[str, str], tuple[int, int]]:
    """(flag, environment) -> (yes, no) counted since `since`."""
    if not names:
        return {}
    query = (
        select(
            client_metrics.c.feature_name,
            client_metrics.c.environment,
            func.sum(client_metrics.c.yes).label("yes"),
            func.sum(client_metrics.c.no).label("no"),
        )
        .where(client_metrics.c.feature_name.in_(names), client_metrics.c.timestamp >= since)
        .group_by(client_metrics.c.feature_name, client_metrics.c.environment)
    )
    return {
        (row.feature_name, row.environment): (int(row.yes or 0), int(row.no or 0))
        for row in conn.execute(query)
    }
