from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import Engine

from leash import http
from leash.auth import Principal, require_admin
from leash.events import service

router = APIRouter(prefix="/api/admin", tags=["Events"])


@router.get("/events", operation_id="getEvents")
def get_events(
    request: Request, project: str | None = None, principal: Principal = Depends(require_admin)
) -> Response:
    engine: Engine = request.app.state.db
    with engine.connect() as conn:
        return http.json(service.list_recent(conn, project=project))
