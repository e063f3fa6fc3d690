"""HTTP for /api/admin/projects and /api/admin/environments (lists)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from leash import http
from leash.api.call import Call
from leash.api.operation import Answer, Auth, Operation
from leash.api.route import route
from leash.projects import schemas, service

router = APIRouter()

TAG = "Projects"


@route(
    router,
    Operation(
        operation_id="getProjects",
        method="GET",
        path="/api/admin/projects",
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.PROJECTS),
    ),
)
def get_projects(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(service.list_projects(conn))


@route(
    router,
    Operation(
        operation_id="getAllEnvironments",
        method="GET",
        path="/api/admin/environments",
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.ENVIRONMENTS),
    ),
)
def get_environments(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(service.list_environments(conn))
