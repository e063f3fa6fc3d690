"""HTTP for the flag search (Unleash's feature-search controller)."""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter, Response

from leash import http
from leash.api.call import Call
from leash.api.operation import Answer, Auth, Operation
from leash.api.route import route
from leash.errors import BadDataError
from leash.search import service
from leash.validation import Schema

router = APIRouter()

# Unleash's patterns for each filter (ajv checks them before the handler).
_GENERIC = "^(IS|IS_NOT|IS_ANY_OF|IS_NONE_OF):(.*?)(,([a-zA-Z0-9_]+))*$"
_MULTI = "^(INCLUDE|DO_NOT_INCLUDE|INCLUDE_ALL_OF|INCLUDE_ANY_OF|EXCLUDE_IF_ANY_OF|EXCLUDE_ALL):"
_DATE = "^(IS_BEFORE|IS_ON_OR_AFTER):\\d{4}-\\d{2}-\\d{2}$"


def _pattern(pattern: str) -> Schema:
    return {"type": "string", "pattern": pattern}


_STRING: Final[Schema] = {"type": "string"}
QUERY: Final[dict[str, Schema]] = {
    "query": _STRING,
    "project": _pattern(_GENERIC),
    "state": _pattern(_GENERIC),
    "lifecycle": _pattern(_GENERIC),
    "type": _pattern(_GENERIC),
    "createdBy": _pattern(_GENERIC),
    "tag": _pattern(_MULTI + "([^:,]+:.+?)(,\\s*[^:,]+:.+?)*$"),
    "segment": _pattern(_MULTI + "(.*?)(,([a-zA-Z0-9_]+))*$"),
    "status": {"type": "array", "items": _STRING},
    "offset": _STRING,
    "limit": _STRING,
    "sortBy": _STRING,
    "sortOrder": _STRING,  # asc or desc, checked by the handler in ajv's enum words
    "favoritesFirst": _STRING,
    "archived": _pattern("^IS:(true|false)$"),
    "favorite": _pattern("^(IS|IS_ANY_OF):(true|false)(,(true|false))*$"),
    "createdAt": _pattern(_DATE),
    "lastSeenAt": _pattern(_DATE),
}

_FEATURE: Final[Schema] = {
    "type": "object",
    "required": ["name", "type", "project", "environments", "segments", "createdBy"],
    "properties": {
        "name": _STRING,
        "type": _STRING,
        "project": _STRING,
        "environments": {"type": "array", "items": {"type": "object"}},
        "segments": {"type": "array", "items": _STRING},
        "createdBy": {"type": "object"},
    },
}
SEARCH_FEATURES: Final[Schema] = {
    "type": "object",
    "required": ["features"],
    "properties": {"features": {"type": "array", "items": _FEATURE}, "total": {"type": "number"}},
}


@route(
    router,
    Operation(
        operation_id="searchFeatures",
        method="GET",
        path="/api/admin/search/features",
        tag="Search",
        auth=Auth.ADMIN,
        query=QUERY,
        answer=Answer(200, SEARCH_FEATURES),
    ),
)
def search_features(call: Call[None]) -> Response:
    status = call.query_all("status")
    if len(status) == 1:
        # Express reads one `status` as a string, which ajv refuses as no array.
        where = "/query/status"
        message = f'The `{where}` property must be array. You sent "{status[0]}".'
        raise BadDataError.many([{"message": message, "path": where}])
    sort_order = call.query("sortOrder")
    if sort_order is not None and sort_order not in ("asc", "desc"):
        message = (
            'The `sortOrder` property must be equal to one of the allowed values: "asc", '
            f'"desc". You provided "{sort_order}", which is not valid. Please use one of the '
            "allowed values instead.."
        )
        raise BadDataError.many([{"message": message, "path": "sortOrder"}])
    query = service.SearchQuery(
        query=call.query("query"),
        project=call.query("project"),
        type=call.query("type"),
        tag=call.query("tag"),
        segment=call.query("segment"),
        state=call.query("state"),
        lifecycle=call.query("lifecycle"),
        created_at=call.query("createdAt"),
        created_by=call.query("createdBy"),
        last_seen_at=call.query("lastSeenAt"),
        favorite=call.query("favorite"),
        status=tuple(status),
        archived=call.query("archived"),
        favorites_first=call.query("favoritesFirst"),
        sort_by=call.query("sortBy"),
        sort_order=sort_order,
        offset=call.query("offset"),
        limit=call.query("limit"),
    )
    with call.read() as conn:
        return http.json(service.search(conn, query=query, user_id=call.actor.user_id))
