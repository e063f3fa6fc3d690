"""HTTP for the audit log: /api/admin/events and /api/admin/search/events."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Response

from leash import http, permissions
from leash.api.call import Call
from leash.api.operation import Answer, Auth, Operation
from leash.api.route import route
from leash.events import schemas, service

router = APIRouter()

TAG = "Events"


@route(
    router,
    Operation(
        operation_id="getEvents",
        method="GET",
        path="/api/admin/events",
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.ADMIN,),
        query=schemas.EVENTS_QUERY,
        answer=Answer(200, schemas.EVENTS),
    ),
)
def get_events(call: Call[None]) -> Response:
    call.require()
    with call.read() as conn:
        return http.json(service.list_recent(conn, project=call.query("project")))


def _date(raw: str | None) -> date | None:
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw.split(":", 1)[1])
    except ValueError:
        return None


@route(
    router,
    Operation(
        operation_id="searchEvents",
        method="GET",
        path="/api/admin/search/events",
        tag=TAG,
        auth=Auth.ADMIN,
        query=schemas.SEARCH_QUERY,
        answer=Answer(200, schemas.EVENTS),
    ),
)
def search_events(call: Call[None]) -> Response:
    query = service.SearchQuery(
        filters={name: value for name in schemas.FILTERS if (value := call.query(name))},
        date_from=_date(call.query("from")),
        date_to=_date(call.query("to")),
        text=call.query("query"),
        offset=call.query("offset"),
        limit=call.query("limit"),
    )
    with call.read() as conn:
        result = service.search(
            conn,
            query=query,
            root_admin=permissions.is_root_admin(call.principal),
            unleash_url=call.settings.unleash_url,
        )
    return http.json(result)


@route(
    router,
    Operation(
        operation_id="getEventsForToggle",
        method="GET",
        path="/api/admin/events/{featureName}",
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.FEATURE_EVENTS),
    ),
)
def get_events_for_toggle(call: Call[None]) -> Response:
    with call.read() as conn:
        result = service.events_of_flag(
            conn,
            feature_name=call.path_str("featureName"),
            root_admin=permissions.is_root_admin(call.principal),
        )
    return http.json(result)


@route(
    router,
    Operation(
        operation_id="getEventCreators",
        method="GET",
        path="/api/admin/event-creators",
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.EVENT_CREATORS),
    ),
)
def get_event_creators(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(service.creators(conn))
