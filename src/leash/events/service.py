"""The audit log: every change writes its event in the same transaction as the change."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import re2
from sqlalchemy import Connection
from ulid import ULID

from leash import changelog
from leash.api.write import note_event
from leash.events import repository
from leash.events.formatter import Formatter
from leash.identity import Actor
from leash.validation import INT32_MAX, INT32_MIN, INT64_MAX, INT64_MIN


def record(
    conn: Connection,
    *,
    actor: Actor,
    type: str,
    data: Any = None,
    pre_data: Any = None,
    project: str | None = None,
    feature_name: str | None = None,
    environment: str | None = None,
    tags: list[dict[str, str]] | None = None,
    grouped: bool = False,
) -> int:
    group_id = _transaction_group(conn) if grouped else None
    _note_change(conn, type=type, feature_name=feature_name, data=data, pre_data=pre_data)
    event_id = repository.insert(
        conn,
        type=type,
        created_by=actor.name,
        created_by_user_id=actor.user_id,
        data=data,
        pre_data=pre_data,
        project=project,
        feature_name=feature_name,
        environment=environment,
        tags=tags or [],
        ip=actor.ip,
        group_type="transaction" if grouped else None,
        group_id=group_id,
    )
    note_event(conn, event_id=event_id)
    return event_id


def _note_change(
    conn: Connection, *, type: str, feature_name: str | None, data: Any, pre_data: Any
) -> None:
    """Tell every process's snapshots which flag or segment this write changed."""
    if feature_name:
        changelog.note(conn, feature_name=feature_name)
    elif type.startswith("segment-"):
        for body in (data, pre_data):
            if isinstance(body, dict) and isinstance(body.get("id"), int):
                changelog.note(conn, segment_id=body["id"])
                return
        changelog.note(conn)  # a segment event without its id: reload everything


def _transaction_group(conn: Connection) -> str:
    """One ULID shared by every grouped event of the current transaction, as Unleash groups them."""
    transaction = conn.get_transaction()
    # Holding the transaction object keeps its identity unique while it is remembered.
    remembered = conn.info.get("leash_event_group")
    if remembered is None or remembered[0] is not transaction:
        remembered = (transaction, str(ULID()))
        conn.info["leash_event_group"] = remembered
    return str(remembered[1])


def list_recent(conn: Connection, *, project: str | None, limit: int = 100) -> dict[str, Any]:
    rows, total = repository.recent(conn, project=project, limit=limit)
    return {"version": 1, "events": rows, "totalEvents": total}


# --- search: GET /api/admin/search/events ---

SEARCH_LIMIT_DEFAULT = 50
SEARCH_LIMIT_MAX = 1000
# Operators Unleash's parseSearchOperatorValue understands; the route's own patterns only
# let IS and IS_ANY_OF through for most fields.
_OPERATOR = re2.compile(
    r"(?s)^(IS|IS_NOT|IS_ANY_OF|IS_NONE_OF|INCLUDE|DO_NOT_INCLUDE|INCLUDE_ALL_OF|INCLUDE_ANY_OF"
    r"|EXCLUDE_IF_ANY_OF|EXCLUDE_ALL|IS_BEFORE|IS_ON_OR_AFTER):(.+)$"
)
_COLUMNS = {
    "type": "type",
    "project": "project",
    "feature": "feature_name",
    "environment": "environment",
    "createdBy": "created_by_user_id",
    "id": "id",
}
# What each integer column holds (events.id is a BIGINT, user ids 32-bit); a value outside its
# range names no row, and handing it to the database would overflow.
_INTEGER_COLUMNS = {"created_by_user_id": (INT32_MIN, INT32_MAX), "id": (INT64_MIN, INT64_MAX)}


@dataclass(frozen=True)
class SearchQuery:
    filters: dict[str, str]  # query parameter name -> raw "OP:values" text
    date_from: date | None
    date_to: date | None
    text: str | None
    offset: str | None
    limit: str | None


def _number(raw: str | None) -> float:
    """JavaScript's Number(raw) for the cases a query string can hold."""
    if raw is None:
        return math.nan
    text = raw.strip()
    if text == "":
        return 0.0
    try:
        return float(text)
    except ValueError:
        return math.nan


def _integer(text: str, *, bounds: tuple[int, int]) -> int | None:
    """`-?\\d+` within `bounds`, parsed plainly (no int() of thousands of digits)."""
    digits = text[1:] if text.startswith("-") else text
    if not digits or len(digits) > 19 or not all("0" <= c <= "9" for c in digits):
        return None
    value = int(text)
    return value if bounds[0] <= value <= bounds[1] else None


def _filter(name: str, raw: str) -> repository.Filter | None:
    match = _OPERATOR.match(raw)
    if match is None:
        return None
    operator, values = match.group(1), match.group(2).split(",")
    column = _COLUMNS[name]
    typed: list[Any] = list(values)
    bounds = _INTEGER_COLUMNS.get(column)
    if bounds is not None:
        # Non-numeric and out-of-range ids match nothing (Unleash fails with a database error).
        numbers = (_integer(v.strip(), bounds=bounds) for v in values)
        typed = [n for n in numbers if n is not None]
        if not typed:
            return repository.Filter(column=column, values=())
    return repository.Filter(
        column=column, values=tuple(typed), negate=operator in ("IS_NOT", "IS_NONE_OF")
    )


def search(
    conn: Connection, *, query: SearchQuery, root_admin: bool, unleash_url: str
) -> dict[str, Any]:
    filters = [f for name, raw in query.filters.items() if (f := _filter(name, raw)) is not None]
    if not root_admin:
        # Unleash shows only project events to anyone but a root admin.
        filters.append(repository.Filter(column="project", values=(None,), negate=True))
    limit = _number(query.limit)
    offset = _number(query.offset)
    # Unleash reads a non-number or infinite offset as none; the databases count rows in 64 bits.
    skip = min(int(offset), INT64_MAX) if math.isfinite(offset) and offset > 0 else 0
    rows, total = repository.search(
        conn,
        filters=filters,
        created_from=_day_start(query.date_from),
        created_before=_day_after(query.date_to),
        text=query.text or None,
        offset=skip,
        limit=int(limit) if 0 < limit <= SEARCH_LIMIT_MAX else SEARCH_LIMIT_DEFAULT,
    )
    # Summaries link to UNLEASH_URL, as Unleash's formatter links them.
    formatter = Formatter(unleash_url=unleash_url)
    for row in rows:
        row["label"], row["summary"] = formatter.format(row)
    return {"events": rows, "total": total}


def _day_after(day: date | None) -> datetime | None:
    """The end of `day` (exclusive); nothing is stored after the last day Python knows."""
    if day is None or day == date.max:
        return None
    return _day_start(day + timedelta(days=1))


def _day_start(day: date | None) -> datetime | None:
    return None if day is None else datetime(day.year, day.month, day.day, tzinfo=UTC)


# --- one flag's events (GET /api/admin/events/{featureName}) and who made events ---

FLAG_EVENTS_LIMIT = 50


def events_of_flag(conn: Connection, *, feature_name: str, root_admin: bool) -> dict[str, Any]:
    """Unleash answers it with its event search for `feature=IS:<name>`, the first 50, newest
    first (without the search's label and summary)."""
    filters = [f for f in (_filter("feature", f"IS:{feature_name}"),) if f is not None]
    if not root_admin:
        filters.append(repository.Filter(column="project", values=(None,), negate=True))
    rows, total = repository.search(
        conn,
        filters=filters,
        created_from=None,
        created_before=None,
        text=None,
        offset=0,
        limit=FLAG_EVENTS_LIMIT,
    )
    return {"version": 1, "toggleName": feature_name, "events": rows, "totalEvents": total}


def creators(conn: Connection) -> list[dict[str, Any]]:
    return repository.creators(conn)
