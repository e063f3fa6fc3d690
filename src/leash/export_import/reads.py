"""What the export and the import read of many flags at once, through the domains' own
repositories, with the names cut into chunks each database takes as bind parameters."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from sqlalchemy import Connection

from leash.context import repository as context
from leash.features import repository as features
from leash.links import repository as links
from leash.segments import repository as segments
from leash.tags import repository as tags

T = TypeVar("T")

# Under SQLite's 32,766 and PostgreSQL's 65,535 bind parameters, with room for the rest.
CHUNK = 10_000


def chunks(names: list[str], size: int = CHUNK) -> Iterator[list[str]]:
    for start in range(0, len(names), size):
        yield names[start : start + size]


def each_chunk(names: list[str], read: Callable[[list[str]], list[T]]) -> list[T]:
    result: list[T] = []
    for chunk in chunks(sorted(set(names))):
        result.extend(read(chunk))
    return result


def flags(conn: Connection, names: list[str]) -> list[Any]:
    rows = each_chunk(names, lambda chunk: features.flags_named(conn, names=chunk))
    return sorted(rows, key=lambda row: row.name)


def feature_environments(conn: Connection, names: list[str], environment: str) -> list[Any]:
    rows = each_chunk(
        names,
        lambda chunk: features.environments_named(conn, names=chunk, environment=environment),
    )
    return sorted(rows, key=lambda row: row.feature_name)


def strategies(conn: Connection, names: list[str], environment: str) -> list[Any]:
    rows = each_chunk(
        names,
        lambda chunk: features.strategies_of(conn, names=chunk, environment=environment),
    )
    # By flag (as Unleash), each flag's in its evaluation order (Unleash leaves it to chance).
    return sorted(rows, key=lambda row: (row.feature_name, row.sort_order, row.created_at))


def strategy_segments(conn: Connection, strategy_ids: list[str]) -> dict[str, list[int]]:
    result: dict[str, list[int]] = {}
    for chunk in chunks(strategy_ids):
        result.update(features.segment_ids(conn, strategy_ids=chunk))
    return result


def feature_tags(conn: Connection, names: list[str]) -> list[Any]:
    rows = each_chunk(names, lambda chunk: tags.tags_of_flags(conn, names=chunk))
    return sorted(rows, key=lambda row: row.feature_name)


def dependencies(conn: Connection, names: list[str]) -> list[Any]:
    rows = each_chunk(names, lambda chunk: features.dependencies_of_children(conn, names=chunk))
    return sorted(rows, key=lambda row: (row.child, row.parent))


def feature_links(conn: Connection, names: list[str]) -> list[Any]:
    rows = each_chunk(names, lambda chunk: links.links_of_features(conn, features=chunk))
    return sorted(rows, key=lambda row: (row.feature_name, row.id))


def context_fields(conn: Connection) -> list[dict[str, Any]]:
    """Every context field, by name, without the usage counts."""
    return [
        {k: v for k, v in field.items() if k not in ("usedInProjects", "usedInFeatures")}
        for field in context.list_with_usage(conn)
    ]


def all_segments(conn: Connection) -> list[dict[str, Any]]:
    return sorted(segments.list_with_usage(conn), key=lambda segment: int(segment["id"]))


def tag_types(conn: Connection) -> list[dict[str, Any]]:
    return tags.list_tag_types(conn)
