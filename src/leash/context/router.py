"""HTTP for POST /api/admin/constraints/validate: one constraint checked as a strategy's would be.

The admin UI calls it per constraint so an error shows beside the constraint that caused it.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from leash import http
from leash.api.call import Call
from leash.api.operation import Answer, Auth, Operation
from leash.api.route import route
from leash.context import schemas, service
from leash.context.schemas import Constraint

router = APIRouter()


@route(
    router,
    Operation(
        operation_id="validateConstraint",
        method="POST",
        path="/api/admin/constraints/validate",
        tag="Features",
        auth=Auth.ADMIN,
        body=schemas.CONSTRAINT,
        answer=Answer(204),
    ),
)
def validate_constraint(call: Call[Constraint]) -> Response:
    constraint = call.body
    service.check_shape(constraint)
    with call.read() as conn:
        service.check_values(conn, constraint=constraint)
    return http.empty(204)
