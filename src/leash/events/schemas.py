"""What the audit-log API takes and answers: Unleash's eventSearchQueryParameters and answers."""

from __future__ import annotations

from typing import Final

from leash.api.openapi import INTEGER, OBJECT, STRING, array, obj
from leash.validation import Schema

_LIST: Final = r"^(IS|IS_ANY_OF):(.*?)(,([a-zA-Z0-9_]+))*$"
_DAY: Final = r"^(IS):\d{4}-\d{2}-\d{2}$"


def _matching(pattern: str) -> Schema:
    # Checked with RE2 (leash.validation): Python's re backtracks on `.*?` before a repeated
    # group.
    return {"type": "string", "pattern": pattern}


# Unleash's eventSearchQueryParameters, checked in its declared order.
SEARCH_QUERY: Final[dict[str, Schema]] = {
    "query": STRING,
    "id": _matching(r"^(IS|IS_ANY_OF):(.*?)(,([0-9]+))*$"),
    "feature": _matching(_LIST),
    "project": _matching(_LIST),
    "type": _matching(_LIST),
    "createdBy": _matching(_LIST),
    "from": _matching(_DAY),
    "to": _matching(_DAY),
    "offset": STRING,
    "limit": STRING,
    "environment": _matching(_LIST),
}
# The filters a search passes on to the service as sent ("OP:values").
FILTERS: Final = ("id", "type", "project", "feature", "createdBy", "environment")

EVENTS_QUERY: Final[dict[str, Schema]] = {"project": STRING}

# -- answers ----------------------------------------------------------------------------------

EVENTS: Final[Schema] = obj(["events"], events=array(OBJECT))
FEATURE_EVENTS: Final[Schema] = obj(
    ["events"],
    version=INTEGER,
    toggleName=STRING,
    events=array(OBJECT),
    totalEvents=INTEGER,
)
EVENT_CREATORS: Final[Schema] = array(obj(["id", "name"], id=INTEGER, name=STRING))
