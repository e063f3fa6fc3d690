"""Reads everything SDKs are served for one environment, in a handful of queries: all of it, or
only some flags and segments (an incremental rebuild after a change)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from leash.features.models import (
    feature_dependencies,
    feature_environments,
    feature_strategies,
    feature_strategy_segment,
    feature_tags,
    features,
)
from leash.segments.models import segments


@dataclass
class Loaded:
    """Rows of the flags and segments asked for (every one when `partial` is False)."""

    partial: bool
    flag_names: frozenset[str]  # asked for (partial loads only)
    segment_ids: frozenset[int]  # asked for (partial loads only)
    flags: list[Any]  # non-archived flags with their environment columns, by name
    strategies: dict[str, list[Any]]  # flag -> its enabled strategies here, in order
    # flag -> strategy id -> segment ids, over every environment and archived flags too:
    # Unleash lists each segment some strategy uses, wherever that strategy is.
    links: dict[str, dict[str, list[int]]]
    dependencies: dict[str, list[Any]]  # child -> rows, by parent
    tags: dict[str, set[tuple[str, str]]]
    segments: dict[int, dict[str, Any]]  # id -> served form, in the database's name order
    segment_order: list[int] | None  # every segment id in the database's name order
    flag_order: list[str] | None  # every non-archived flag name in the database's order


def load_environment(
    conn: Connection,
    *,
    environment: str,
    flag_names: Collection[str] | None = None,
    segment_ids: Collection[int] | None = None,
    known_flags: Collection[str] = (),
) -> Loaded:
    """Rows for `environment`: every flag and segment, or (given `flag_names` and
    `segment_ids`) only those; then the full flag order only if a flag not in `known_flags`
    appeared, since the database's collation decides it, not Python's."""
    partial = flag_names is not None
    names = list(flag_names or ())
    ids = list(segment_ids or ())
    flag_query = (
        select(
            features,
            feature_environments.c.enabled.label("env_enabled"),
            feature_environments.c.variants.label("env_variants"),
        )
        .outerjoin(
            feature_environments,
            (feature_environments.c.feature_name == features.c.name)
            & (feature_environments.c.environment == environment),
        )
        .where(features.c.archived_at.is_(None))
        .order_by(features.c.name)
    )
    strategy_query = (
        select(feature_strategies)
        .where(feature_strategies.c.environment == environment)
        .where(feature_strategies.c.disabled.is_(False))
        .order_by(feature_strategies.c.sort_order, feature_strategies.c.id)
    )
    link_query = (
        select(
            feature_strategy_segment.c.feature_strategy_id,
            feature_strategy_segment.c.segment_id,
            feature_strategies.c.feature_name,
        )
        .join(
            feature_strategies,
            feature_strategies.c.id == feature_strategy_segment.c.feature_strategy_id,
        )
        .order_by(feature_strategy_segment.c.segment_id)
    )
    dependency_query = select(feature_dependencies).order_by(feature_dependencies.c.parent)
    tag_query = select(
        feature_tags.c.feature_name, feature_tags.c.tag_type, feature_tags.c.tag_value
    )
    segment_query = select(segments.c.id, segments.c.name, segments.c.constraints).order_by(
        segments.c.name, segments.c.id
    )
    if partial:
        flag_query = flag_query.where(features.c.name.in_(names))
        strategy_query = strategy_query.where(feature_strategies.c.feature_name.in_(names))
        link_query = link_query.where(feature_strategies.c.feature_name.in_(names))
        dependency_query = dependency_query.where(feature_dependencies.c.child.in_(names))
        tag_query = tag_query.where(feature_tags.c.feature_name.in_(names))
        segment_query = segment_query.where(segments.c.id.in_(ids))
    flags = conn.execute(flag_query).all()
    strategies: dict[str, list[Any]] = defaultdict(list)
    for strategy in conn.execute(strategy_query):
        strategies[strategy.feature_name].append(strategy)
    links: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for row in conn.execute(link_query):
        links[row.feature_name][row.feature_strategy_id].append(row.segment_id)
    dependencies: dict[str, list[Any]] = defaultdict(list)
    for dependency in conn.execute(dependency_query):
        dependencies[dependency.child].append(dependency)
    tags: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for tag in conn.execute(tag_query):
        tags[tag.feature_name].add((tag.tag_type, tag.tag_value))
    served = {
        row.id: {"id": row.id, "name": row.name, "constraints": row.constraints}
        for row in (conn.execute(segment_query).all() if ids or not partial else ())
    }
    segment_order: list[int] | None = None
    flag_order: list[str] | None = None
    if partial:
        if ids:
            segment_order = list(
                conn.execute(select(segments.c.id).order_by(segments.c.name, segments.c.id))
                .scalars()
                .all()
            )
        known = set(known_flags)
        if any(flag.name not in known for flag in flags):
            flag_order = list(
                conn.execute(
                    select(features.c.name)
                    .where(features.c.archived_at.is_(None))
                    .order_by(features.c.name)
                )
                .scalars()
                .all()
            )
    return Loaded(
        partial=partial,
        flag_names=frozenset(names),
        segment_ids=frozenset(ids),
        flags=list(flags),
        strategies={name: list(rows) for name, rows in strategies.items()},
        links={name: dict(by_strategy) for name, by_strategy in links.items()},
        dependencies=dict(dependencies),
        tags=dict(tags),
        segments=served,
        segment_order=segment_order,
        flag_order=flag_order,
    )
