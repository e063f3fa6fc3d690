"""HTTP for the audit log: /api/admin/events and /api/admin/search/events."""

from __future__ import annotations

from datetime import date

import re2
from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import Engine

from leash import http, permissions
from leash.auth import Principal, require_admin
from leash.errors import BadDataError
from leash.events import service

router = APIRouter(prefix="/api/admin", tags=["Events"])

_LIST = r"^(IS|IS_ANY_OF):(.*?)(,([a-zA-Z0-9_]+))*$"
# Unleash's eventSearchQueryParameters patterns, checked in its declared order.
PATTERNS = {
    "id": r"^(IS|IS_ANY_OF):(.*?)(,([0-9]+))*$",
    "feature": _LIST,
    "project": _LIST,
    "type": _LIST,
    "createdBy": _LIST,
    "from": r"^(IS):\d{4}-\d{2}-\d{2}$",
    "to": r"^(IS):\d{4}-\d{2}-\d{2}$",
    "environment": _LIST,
}
# RE2 (linear): Python's re backtracks on `.*?` followed by a repeated group.
_COMPILED = {name: re2.compile(pattern) for name, pattern in PATTERNS.items()}


def _db(request: Request) -> Engine:
    engine: Engine = request.app.state.db
    return engine


@router.get("/events", operation_id="getEvents")
def get_events(
    request: Request, project: str | None = None, principal: Principal = Depends(require_admin)
) -> Response:
    permissions.require_any(principal, permissions.ADMIN)
    with _db(request).connect() as conn:
        return http.json(service.list_recent(conn, project=project))


def _date(raw: str | None) -> date | None:
    if raw is None:
        return None
    try:
        return date.fromisoformat(raw.split(":", 1)[1])
    except ValueError:
        return None


@router.get("/search/events", operation_id="searchEvents")
def search_events(request: Request, principal: Principal = Depends(require_admin)) -> Response:
    params = request.query_params
    for name, pattern in PATTERNS.items():
        value = params.get(name)
        if value is not None and _COMPILED[name].search(value) is None:
            where = f"/query/{name}"
            raise BadDataError.many(
                [
                    {
                        "message": f"The `{where}` property must match pattern "
                        f'"{pattern}". You sent "{value}".',
                        "path": where,
                    }
                ]
            )
    query = service.SearchQuery(
        filters={
            name: params[name]
            for name in ("id", "type", "project", "feature", "createdBy", "environment")
            if params.get(name)
        },
        date_from=_date(params.get("from")),
        date_to=_date(params.get("to")),
        text=params.get("query"),
        offset=params.get("offset"),
        limit=params.get("limit"),
    )
    with _db(request).connect() as conn:
        result = service.search(
            conn,
            query=query,
            root_admin=permissions.is_root_admin(principal),
            unleash_url=request.app.state.settings.unleash_url,
        )
    return http.json(result)
