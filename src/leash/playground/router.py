"""HTTP for the playground: POST /api/admin/playground (Unleash's getPlayground) and
/api/admin/playground/advanced (getAdvancedPlayground)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from leash import http
from leash.api.call import Call
from leash.api.operation import Answer, Auth, Operation
from leash.api.route import route
from leash.playground import schemas, service
from leash.playground.schemas import AdvancedRequest, PlaygroundRequest

router = APIRouter()


@route(
    router,
    Operation(
        operation_id="getPlayground",
        method="POST",
        path="/api/admin/playground",
        tag="Playground",
        # Unleash asks for no permission here: any admin API caller may evaluate.
        auth=Auth.ADMIN,
        body=schemas.PLAYGROUND_REQUEST,
        body_check=schemas.parse_request,
        answer=Answer(200, schemas.PLAYGROUND_RESPONSE),
    ),
)
def get_playground(call: Call[PlaygroundRequest]) -> Response:
    query = call.body
    with call.read() as conn:
        features = service.evaluate(
            conn,
            environment=query["environment"],
            # an empty list selects no project, as in Unleash (an empty array is truthy in JS)
            projects=query.get("projects", schemas.ALL_PROJECTS),
            context=query["context"],
        )
    return http.json({"input": query, "features": features})


@route(
    router,
    Operation(
        operation_id="getAdvancedPlayground",
        method="POST",
        path="/api/admin/playground/advanced",
        tag="Playground",
        auth=Auth.ADMIN,
        body=schemas.ADVANCED_REQUEST,
        body_check=schemas.parse_advanced_request,
        answer=Answer(200, schemas.ADVANCED_RESPONSE),
    ),
)
def get_advanced_playground(call: Call[AdvancedRequest]) -> Response:
    query = call.body
    with call.read() as conn:
        features, removed = service.evaluate_advanced(
            conn,
            environments=query["environments"],
            projects=query.get("projects", schemas.ALL_PROJECTS),
            context=query["context"],
        )
    body: dict[str, object] = {"features": features, "input": query}
    if removed:
        body["warnings"] = {"invalidContextProperties": removed}
    return http.json(body)
