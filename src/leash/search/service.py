"""The flag search (GET /api/admin/search/features), as Unleash 8.2's feature-search store:
filters, the lifecycle and archived views, sorting, favorites first, a page of at most 100."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from leash.db.base import iso, utcnow
from leash.features.views import user_ref
from leash.search import repository
from leash.search.repository import Filters, Generic, Multi
from leash.secrets import gravatar_url
from leash.validation import INT32_MAX, INT32_MIN

LIMIT_DEFAULT = 50
LIMIT_MAX = 100
# Values one filter may list (more are ignored): each text or status is a condition of one
# OR, which the databases nest (SQLite refuses an expression over 1000 deep).
MAX_VALUES = 100
_GENERIC = ("IS", "IS_NOT", "IS_ANY_OF", "IS_NONE_OF")
_MULTI = (
    "INCLUDE",
    "DO_NOT_INCLUDE",
    "INCLUDE_ALL_OF",
    "INCLUDE_ANY_OF",
    "EXCLUDE_IF_ANY_OF",
    "EXCLUDE_ALL",
)
_DATES = ("IS_BEFORE", "IS_ON_OR_AFTER")
_OPERATORS = _GENERIC + _MULTI + _DATES
_SORT_COLUMNS = ("name", "type", "stale", "project")


@dataclass(frozen=True)
class SearchQuery:
    """The query parameters as sent (each already matched its declared pattern)."""

    query: str | None = None
    project: str | None = None
    type: str | None = None
    tag: str | None = None
    segment: str | None = None
    state: str | None = None
    lifecycle: str | None = None
    created_at: str | None = None
    created_by: str | None = None
    last_seen_at: str | None = None
    favorite: str | None = None
    status: tuple[str, ...] = ()
    archived: str | None = None
    favorites_first: str | None = None
    sort_by: str | None = None
    sort_order: str | None = None
    offset: str | None = None
    limit: str | None = None


def _operator(raw: str | None) -> tuple[str, list[str]] | None:
    """Unleash's parseSearchOperatorValue: `OP:a,b` -> (OP, [a, b]) trimmed, or None."""
    if raw is None:
        return None
    operator, colon, rest = raw.partition(":")
    if not colon or operator not in _OPERATORS or rest == "":
        return None
    return operator, [value.strip() for value in rest.split(",")[:MAX_VALUES]]


def _number(raw: str | None) -> float:
    """JavaScript's Number(raw) for what a query string holds."""
    if raw is None:
        return math.nan
    text = raw.strip()
    if text == "":
        return 0.0
    if len(text) > 400:
        return math.nan
    try:
        return float(text)
    except ValueError:
        return math.nan


def _day(text: str) -> datetime | None:
    try:
        day = date.fromisoformat(text[:10]) if len(text) == 10 else None
    except ValueError:
        return None
    return None if day is None else datetime(day.year, day.month, day.day, tzinfo=UTC)


def _user_ids(values: list[str]) -> tuple[int, ...]:
    """Only integers a user id can be (Unleash fails on the others; they match nothing)."""
    ids = []
    for value in values:
        digits = value[1:] if value.startswith("-") else value
        if digits and len(digits) <= 10 and digits.isascii() and digits.isdigit():
            number = int(value)
            if INT32_MIN <= number <= INT32_MAX:
                ids.append(number)
    return tuple(ids)


def _stale(filters: Filters, operator: str, values: list[str]) -> None:
    """Unleash's applyStaleConditions (potentially stale: the staleness job's mark)."""
    negate = operator in ("IS_NOT", "IS_NONE_OF")
    if "potentially-stale" not in values:
        stale = tuple(value != "active" for value in values)
        filters.generic.append(Generic(column="stale", values=stale, negate=negate))
        return
    chosen = {v for v in values if v in ("stale", "active", "potentially-stale")}
    if len(chosen) == 3:
        if negate:
            filters.nothing = True
        return
    if len(chosen) == 1:  # potentially stale only
        filters.staleness = "not-only" if negate else "only"
        return
    if "stale" in chosen:  # stale or potentially stale
        filters.staleness = "not-either" if negate else "either"
    else:  # active or potentially stale: Unleash keeps the not-stale ones
        filters.generic.append(Generic(column="stale", values=(False,), negate=negate))


def _filters(query: SearchQuery, *, user_id: int | None) -> tuple[Filters, Any]:
    filters = Filters(user_id=user_id)
    texts = [t.strip() for t in (query.query or "").split(",")[:MAX_VALUES]]
    filters.texts = [t for t in texts if t]
    for column, raw in (("project", query.project), ("type", query.type)):
        parsed = _operator(raw)
        if parsed is not None and parsed[0] in _GENERIC:
            negate = parsed[0] in ("IS_NOT", "IS_NONE_OF")
            filters.generic.append(Generic(column=column, values=tuple(parsed[1]), negate=negate))
    parsed = _operator(query.created_by)
    if parsed is not None and parsed[0] in _GENERIC:
        filters.generic.append(
            Generic(
                column="created_by_user_id",
                values=_user_ids(parsed[1]),
                negate=parsed[0] in ("IS_NOT", "IS_NONE_OF"),
            )
        )
    parsed = _operator(query.state)
    if parsed is not None and parsed[0] in _GENERIC:
        _stale(filters, *parsed)
    for raw, before, after in (
        (query.created_at, "created_before", "created_from"),
        (query.last_seen_at, "seen_before", "seen_from"),
    ):
        parsed = _operator(raw)
        if parsed is not None and parsed[0] in _DATES:
            day = _day(parsed[1][0])
            if day is None:
                filters.nothing = True  # Unleash's database refuses such a date
            else:
                setattr(filters, before if parsed[0] == "IS_BEFORE" else after, day)
    parsed = _operator(query.tag)
    if parsed is not None and parsed[0] in _MULTI:
        pairs = []
        for value in parsed[1]:
            kind, colon, tag_value = value.partition(":")
            if colon and kind and tag_value:
                pairs.append((kind.strip(), tag_value.strip()))
        filters.tags.append(Multi(operator=parsed[0], values=tuple(pairs)))
    parsed = _operator(query.segment)
    if parsed is not None and parsed[0] in _MULTI:
        filters.segments.append(Multi(operator=parsed[0], values=tuple(parsed[1])))
    for entry in query.status[:MAX_VALUES]:
        parts = entry.split(":")
        if len(parts) == 2 and parts[1] in ("enabled", "disabled"):
            filters.status.append((parts[0], parts[1] == "enabled"))
    parsed = _operator(query.favorite)
    if parsed is not None and parsed[0] in ("IS", "IS_ANY_OF"):
        wants = set(parsed[1])
        if not ("true" in wants and "false" in wants):
            filters.favorite = "true" in wants
    lifecycle = _operator(query.lifecycle)
    if lifecycle is not None and lifecycle[0] not in _GENERIC:
        lifecycle = None
    return filters, lifecycle


def _stage_check(
    lifecycle: tuple[str, list[str]] | None, *, archived_view: bool, filters: Filters
) -> Any:
    """Unleash's applyLifecycleAndArchivedFilters: sets the archived filter, returns a test of
    a flag's (archived, latest stage)."""
    if lifecycle is None:
        filters.archived = archived_view
        return lambda _archived, _stage: True
    operator, values = lifecycle
    exclude = operator in ("IS_NOT", "IS_NONE_OF")
    with_archived = "archived" in values
    stages = {v for v in values if v != "archived"}
    if exclude:
        if archived_view and not with_archived:
            filters.archived = True
            return lambda _archived, _stage: True
        filters.archived = False
        return lambda _archived, stage: not stages or (stage is not None and stage not in stages)
    if archived_view:
        filters.archived = True
        if not with_archived and stages:
            return lambda _archived, stage: stage in stages
        return lambda _archived, _stage: True
    if not with_archived:
        filters.archived = False
        return lambda _archived, stage: stage in stages
    filters.archived = None
    return lambda archived, stage: archived or stage in stages


def search(conn: Connection, *, query: SearchQuery, user_id: int | None) -> dict[str, Any]:
    filters, lifecycle = _filters(query, user_id=user_id)
    archived_view = query.archived == "IS:true"
    keep = _stage_check(lifecycle, archived_view=archived_view, filters=filters)
    rows = repository.candidates(conn, filters=filters)
    stages = repository.latest_stages(conn, names=[row.name for row in rows])
    rows = [
        row
        for row in rows
        if keep(row.archived_at is not None, getattr(stages.get(row.name), "stage", None))
    ]
    favorites = repository.favorites_of(conn, user_id=user_id)
    environments = repository.environment_rows(conn, names=[row.name for row in rows])
    if filters.status:
        # Unleash filters the joined rows: a flag shows only the environments that matched.
        wanted = set(filters.status)
        environments = {
            name: [e for e in envs if (e.environment, bool(e.enabled)) in wanted]
            for name, envs in environments.items()
        }
    rows = _sorted(rows, query=query, favorites=favorites, environments=environments)
    limit = _number(query.limit if query.limit is not None else str(LIMIT_DEFAULT))
    offset = _number(query.offset)
    size = limit if 0 < limit <= LIMIT_MAX else LIMIT_DEFAULT
    skip = offset if offset > 0 and math.isfinite(offset) else 0
    # Unleash pages by rank: BETWEEN offset + 1 AND offset + limit (fractions included).
    start, end = math.ceil(skip), math.floor(skip + size)
    page = rows[start:end] if start < len(rows) else []
    names = [row.name for row in page]
    return {
        "features": _render(
            conn,
            page,
            names=names,
            favorites=favorites if user_id is not None else None,
            environments=environments,
            stages=stages,
            tag_filters=filters.tags,
        ),
        "total": len(rows),
    }


def _sorted(
    rows: list[Any],
    *,
    query: SearchQuery,
    favorites: set[str],
    environments: dict[str, list[Any]],
) -> list[Any]:
    descending = query.sort_order == "desc"
    sort_by = query.sort_by or "createdAt"

    def favorite_first(row: Any) -> int:
        return 0 if query.favorites_first == "true" and row.name in favorites else 1

    def stamp(value: datetime | None) -> float:
        return value.timestamp() if value is not None else math.inf

    if sort_by.startswith("environment:"):
        environment = sort_by.split(":")[1]

        def env_key(row: Any) -> tuple[Any, ...]:
            enabled = [
                bool(e.enabled)
                for e in environments.get(row.name, [])
                if e.environment == environment
            ]
            if not enabled:
                rank: tuple[int, int] = (1, 0)
            else:
                value = int(enabled[0])
                rank = (0, -value if descending else value)
            return (favorite_first(row), rank, stamp(row.created_at), row.name)

        return sorted(rows, key=env_key)
    if sort_by == "lastSeenAt":

        def seen_key(row: Any) -> tuple[Any, ...]:
            seen = [e.last_seen_at or row.last_seen_at for e in environments.get(row.name, [])]
            seen = [s for s in seen if s is not None] or (
                [row.last_seen_at] if row.last_seen_at else []
            )
            if not seen:
                rank: tuple[int, float] = (1, 0.0)
            else:
                best = max(seen) if descending else min(seen)
                rank = (0, -best.timestamp() if descending else best.timestamp())
            return (favorite_first(row), rank, stamp(row.created_at), row.name)

        return sorted(rows, key=seen_key)
    if sort_by in _SORT_COLUMNS:
        column = sort_by
        ordered = sorted(rows, key=lambda row: (stamp(row.created_at), row.name))
        ordered = sorted(ordered, key=lambda row: _column_key(row, column), reverse=descending)
        return sorted(ordered, key=favorite_first)
    ordered = sorted(rows, key=lambda row: row.name)
    ordered = sorted(ordered, key=lambda row: stamp(row.created_at), reverse=descending)
    return sorted(ordered, key=favorite_first)


def _column_key(row: Any, column: str) -> Any:
    value = getattr(row, column)
    return bool(value) if column == "stale" else str(value)


def _render(
    conn: Connection,
    page: list[Any],
    *,
    names: list[str],
    favorites: set[str] | None,
    environments: dict[str, list[Any]],
    stages: dict[str, Any],
    tag_filters: list[Multi],
) -> list[dict[str, Any]]:
    presence = repository.strategy_presence(conn, names=names)
    segment_names = repository.segment_names(conn, names=names)
    tags = repository.tags_by_flag(conn, names=names)
    dependencies = repository.dependency_types(conn, names=names)
    metrics = repository.metrics_since(conn, names=names, since=utcnow() - timedelta(hours=1))
    shown_tags: set[tuple[str, str]] | None = None
    for item in tag_filters:
        if item.operator in ("INCLUDE", "INCLUDE_ANY_OF"):
            # The joined tag rows were filtered: a flag lists only the tags that matched.
            shown_tags = set(item.values) if shown_tags is None else shown_tags & set(item.values)
    features = []
    for row in page:
        body: dict[str, Any] = {
            "type": row.type,
            "description": row.description,
            "project": row.project,
        }
        if favorites is not None:
            body["favorite"] = row.name in favorites
        body.update(
            {
                "name": row.name,
                "createdAt": iso(row.created_at),
                "stale": bool(row.stale),
                "archivedAt": iso(row.archived_at),
                "impressionData": bool(row.impression_data),
                "dependencyType": dependencies.get(row.name),
                "environments": [
                    _environment(env, presence=presence, metrics=metrics)
                    for env in sorted(
                        environments.get(row.name, []),
                        key=lambda e: (e.environment_sort_order, e.environment),
                    )
                ],
                "segments": segment_names.get(row.name, []),
                "createdBy": _creator(conn, row.created_by_user_id),
            }
        )
        stage = stages.get(row.name)
        if stage is not None:
            lifecycle: dict[str, Any] = {"stage": stage.stage}
            if stage.status:
                lifecycle["status"] = stage.status
            lifecycle["enteredStageAt"] = iso(stage.created_at)
            body["lifecycle"] = lifecycle
        flag_tags = [
            # The tag type's color, null when it has none (as 8.2).
            {"value": value, "type": kind, "color": color}
            for kind, value, color in tags.get(row.name, [])
            if shown_tags is None or (kind, value) in shown_tags
        ]
        if flag_tags:
            body["tags"] = flag_tags
        features.append(body)
    return features


def _environment(
    env: Any,
    *,
    presence: dict[tuple[str, str], bool],
    metrics: dict[tuple[str, str], tuple[int, int]],
) -> dict[str, Any]:
    key = (env.feature_name, env.environment)
    yes, no = metrics.get(key, (0, 0))
    return {
        "name": env.environment,
        "enabled": bool(env.enabled),
        "type": env.environment_type,
        "sortOrder": env.environment_sort_order,
        "variantCount": len(env.variants or []),
        "lastSeenAt": iso(env.last_seen_at),
        "hasStrategies": key in presence,
        "hasEnabledStrategies": presence.get(key, False),
        "yes": yes,
        "no": no,
        "changeRequestIds": [],
    }


def _creator(conn: Connection, user_id: int | None) -> dict[str, Any]:
    found = user_ref(conn, user_id)
    if found is not None:
        return found
    # Unleash's left join finds no user: id Number(null), name "unknown".
    return {"id": 0, "name": "unknown", "imageUrl": gravatar_url("unknown")}
