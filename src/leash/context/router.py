"""HTTP for POST /api/admin/constraints/validate: one constraint checked as a strategy's would be.

The admin UI calls it per constraint so an error shows beside the constraint that caused it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import Engine

from leash import constraints as constraint_rules
from leash import http
from leash.auth import Principal, require_admin
from leash.context import repository
from leash.errors import BadDataError
from leash.http import RawBody, raw_body

router = APIRouter(prefix="/api/admin/constraints", tags=["Features"])


def _joi(label: str, text: str, value: Any = None) -> BadDataError:
    message = constraint_rules.joi_message(label, text, value)
    return BadDataError.many([{"message": message}], with_id=False)


def _check_shape(constraint: Mapping[str, Any]) -> None:
    """Joi's rules for one constraint; its labels name the field without a list index."""
    if constraint.get("contextName") == "":
        raise _joi("contextName", "is not allowed to be empty")
    for j, item in enumerate(constraint.get("values") or []):
        if item == "":
            raise _joi(f"values[{j}]", "is not allowed to be empty")
        if len(item) > constraint_rules.MAX_VALUE_LENGTH:
            limit = constraint_rules.MAX_VALUE_LENGTH
            text = f"length must be less than or equal to {limit} characters long"
            raise _joi(f"values[{j}]", text, item)


@router.post(
    "/validate",
    operation_id="validateConstraint",
    status_code=204,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": constraint_rules.CONSTRAINT_SCHEMA}},
        }
    },
)
def validate_constraint(
    request: Request,
    principal: Principal = Depends(require_admin),
    body: RawBody = Depends(raw_body),
) -> Response:
    constraint = http.parse_json(body, constraint_rules.CONSTRAINT_SCHEMA)
    _check_shape(constraint)
    engine: Engine = request.app.state.db
    with engine.connect() as conn:
        legal = repository.legal_values(conn)
    constraint_rules.validate_constraint(constraint, legal_values=legal)
    return http.empty(204)
