"""HTTP for the playground: POST /api/admin/playground (Unleash's getPlayground)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import Engine

from leash import http
from leash.auth import Principal, require_admin
from leash.http import RawBody, raw_body
from leash.playground import schemas, service

router = APIRouter(prefix="/api/admin/playground", tags=["Playground"])

_REQUEST_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": schemas.PLAYGROUND_REQUEST}},
    }
}


@router.post("", operation_id="getPlayground", openapi_extra=_REQUEST_BODY)
def get_playground(
    request: Request,
    # Unleash asks for no permission here: any admin API caller may evaluate.
    principal: Principal = Depends(require_admin),
    body: RawBody = Depends(raw_body),
) -> Response:
    query = schemas.parse_request(http.parse_json(body))
    db: Engine = request.app.state.db
    with db.connect() as conn:
        features = service.evaluate(
            conn,
            environment=query["environment"],
            # an empty list selects no project, as in Unleash (an empty array is truthy in JS)
            projects=query.get("projects", schemas.ALL_PROJECTS),
            context=query["context"],
        )
    return http.json({"input": query, "features": features})
