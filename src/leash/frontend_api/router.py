"""/api/frontend: flags evaluated server-side for browsers and apps, with frontend tokens."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Response
from fastapi.responses import PlainTextResponse

from leash import limits
from leash.api.call import Call
from leash.api.openapi import NO_SDK_TOKEN, RATE_LIMITED
from leash.api.operation import TEXT, Answer, Auth, Operation
from leash.api.route import route
from leash.auth import require_frontend
from leash.client_api.snapshot import ClientSnapshots
from leash.errors import NotImplementedByFrontend
from leash.frontend_api import context as contexts
from leash.frontend_api import schemas, service
from leash.frontend_api.queries import frontend_query
from leash.frontend_api.schemas import FeaturesPost
from leash.identity import Principal
from leash.metrics import dates
from leash.metrics import schemas as metrics_schemas
from leash.metrics import service as metrics
from leash.metrics.schemas import ClientApplication, ClientMetrics

router = APIRouter()

TAG = "Frontend API"
FRONTEND = "/api/frontend"
NO_CACHE = {"Cache-Control": "no-cache"}
SDK_BARE = {**NO_SDK_TOKEN, **RATE_LIMITED}


def _ok() -> Response:
    # Express's res.sendStatus(200).
    return PlainTextResponse("OK", media_type="text/plain; charset=utf-8")


def _evaluate(call: Call[Any], context: dict[str, Any]) -> Response:
    principal = call.principal
    snapshots: ClientSnapshots = call.state.client_snapshots
    compiled = snapshots.compiled(frontend_query(principal))
    client = call.request.client
    full = contexts.complete(
        context, client_ip=client.host if client else None, environment=principal.environment
    )
    return Response(
        content=service.toggles_body(compiled, full),
        media_type="application/json; charset=utf-8",
        headers=NO_CACHE,
    )


@route(
    router,
    Operation(
        operation_id="getFrontendFeatures",
        method="GET",
        path=FRONTEND,
        tag=TAG,
        auth=Auth.FRONTEND,
        answer=Answer(200, schemas.TOGGLES),
        bare=NO_SDK_TOKEN,
    ),
)
def get_frontend_features(call: Call[None]) -> Response:
    return _evaluate(call, contexts.from_query(call.query_items()))


@route(
    router,
    Operation(
        operation_id="getFrontendApiFeaturesWithPost",
        method="POST",
        path=FRONTEND,
        tag=TAG,
        auth=Auth.FRONTEND,
        body=schemas.FEATURES_POST,
        answer=Answer(200, schemas.TOGGLES),
        bare=NO_SDK_TOKEN,
    ),
)
def post_frontend_features(call: Call[FeaturesPost]) -> Response:
    return _evaluate(call, contexts.from_body(call.body))


@route(
    router,
    Operation(
        operation_id="registerFrontendMetrics",
        method="POST",
        path=FRONTEND + "/client/metrics",
        tag=TAG,
        auth=Auth.FRONTEND,
        body=metrics_schemas.CLIENT_METRICS,
        body_check=dates.report,
        answer=Answer(200, TEXT),
        bare=SDK_BARE,
    ),
)
def register_frontend_client_metrics(call: Call[ClientMetrics]) -> Response:
    data = call.body
    limited = limits.check(call.request, "frontend_metrics")
    with call.write(refresh=False) as conn:
        metrics.record(
            conn,
            body=data,
            principal=call.principal,
            registrations=call.state.metrics_registrations,
            frontend_sdk=call.request.headers.get("unleash-sdk"),
        )
    response = _ok()
    response.headers.update(limited)
    return response


@route(
    router,
    Operation(
        operation_id="registerFrontendClient",
        method="POST",
        path=FRONTEND + "/client/register",
        tag=TAG,
        auth=Auth.FRONTEND,
        body=metrics_schemas.CLIENT_APPLICATION,
        body_check=dates.registration,
        answer=Answer(200, TEXT),
        bare=SDK_BARE,
    ),
)
def register_frontend_client(call: Call[ClientApplication]) -> Response:
    # Unleash checks the body and then stores nothing: frontend SDKs are not applications.
    call.check_body()
    response = _ok()
    response.headers.update(limits.check(call.request, "frontend_register"))
    return response


# Backend SDKs' paths, refused as Unleash's frontend API refuses them (no operations of its own).
@router.get(FRONTEND + "/client/features", include_in_schema=False)
@router.get(FRONTEND + "/health", include_in_schema=False)
@router.get(FRONTEND + "/internal-backstage/prometheus", include_in_schema=False)
def backend_only(principal: Principal = Depends(require_frontend)) -> Response:
    raise NotImplementedByFrontend("The frontend API does not support this endpoint.")
