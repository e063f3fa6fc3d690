"""HTTP for /api/admin/projects and /api/admin/environments (lists)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import Engine

from leash import http
from leash.auth import Principal, require_admin
from leash.projects import service

router = APIRouter(prefix="/api/admin", tags=["Projects"])


def _db(request: Request) -> Engine:
    engine: Engine = request.app.state.db
    return engine


@router.get("/projects", operation_id="getProjects")
def get_projects(request: Request, principal: Principal = Depends(require_admin)) -> Response:
    with _db(request).connect() as conn:
        return http.json(service.list_projects(conn))


@router.get("/environments", operation_id="getAllEnvironments")
def get_environments(request: Request, principal: Principal = Depends(require_admin)) -> Response:
    with _db(request).connect() as conn:
        return http.json(service.list_environments(conn))
