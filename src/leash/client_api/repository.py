"""Reads everything SDKs are served for one environment, in a handful of queries."""

from __future__ import annotations

from collections import defaultdict
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


def load_environment(conn: Connection, *, environment: str) -> dict[str, Any]:
    """Raw rows for `environment`: flags, their enabled state, strategies, links, segments."""
    flags = conn.execute(
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
    ).all()
    strategies = conn.execute(
        select(feature_strategies)
        .where(feature_strategies.c.environment == environment)
        .where(feature_strategies.c.disabled.is_(False))
        .order_by(feature_strategies.c.sort_order, feature_strategies.c.id)
    ).all()
    links: dict[str, list[int]] = defaultdict(list)
    for row in conn.execute(
        select(
            feature_strategy_segment.c.feature_strategy_id, feature_strategy_segment.c.segment_id
        ).order_by(feature_strategy_segment.c.segment_id)
    ):
        links[row.feature_strategy_id].append(row.segment_id)
    linked = {sid for ids in links.values() for sid in ids}
    segment_rows = conn.execute(
        select(segments.c.id, segments.c.name, segments.c.constraints).order_by(
            segments.c.name, segments.c.id
        )
    ).all()
    dependencies: dict[str, list[Any]] = defaultdict(list)
    for dependency in conn.execute(
        select(feature_dependencies).order_by(feature_dependencies.c.parent)
    ):
        dependencies[dependency.child].append(dependency)
    tags: dict[str, set[tuple[str, str]]] = defaultdict(set)
    tag_rows = conn.execute(
        select(feature_tags.c.feature_name, feature_tags.c.tag_type, feature_tags.c.tag_value)
    )
    for tag in tag_rows:
        tags[tag.feature_name].add((tag.tag_type, tag.tag_value))
    return {
        "flags": flags,
        "strategies": strategies,
        "links": links,
        "segments": [row for row in segment_rows if row.id in linked],
        "dependencies": dependencies,
        "tags": tags,
    }
