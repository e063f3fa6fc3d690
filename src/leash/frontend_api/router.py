"""/api/frontend: flags evaluated server-side for browsers and apps, with frontend tokens."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import PlainTextResponse

from leash import http, limits
from leash.auth import Principal, require_frontend
from leash.client_api.snapshot import ClientSnapshots, Query
from leash.errors import LeashError
from leash.frontend_api import context as contexts
from leash.frontend_api import service
from leash.http import RawBody, raw_body
from leash.validation import Schema

router = APIRouter(prefix="/api/frontend", tags=["Frontend API"])

NO_CACHE = {"Cache-Control": "no-cache"}
FEATURES_POST: Schema = {"type": "object", "properties": {"context": {"type": "object"}}}


class NotImplementedByFrontend(LeashError):
    status_code = 405
    name = "NotImplementedError"
    with_id = True


def _ok() -> Response:
    # Express's res.sendStatus(200).
    return PlainTextResponse("OK", media_type="text/plain; charset=utf-8")


def frontend_query(principal: Principal) -> Query:
    return Query(
        environment=principal.environment,
        projects=None if principal.all_projects else principal.projects,
        name_prefix=None,
        tags=(),
        inline_segments=False,
    )


def _evaluate(request: Request, principal: Principal, context: dict[str, object]) -> Response:
    snapshots: ClientSnapshots = request.app.state.client_snapshots
    compiled = snapshots.compiled(frontend_query(principal))
    client_ip = request.client.host if request.client else None
    full = contexts.complete(context, client_ip=client_ip, environment=principal.environment)
    return Response(
        content=service.toggles_body(compiled, full),
        media_type="application/json; charset=utf-8",
        headers=NO_CACHE,
    )


@router.get("", operation_id="getFrontendFeatures")
def get_frontend_features(
    request: Request, principal: Principal = Depends(require_frontend)
) -> Response:
    context = contexts.from_query(list(request.query_params.multi_items()))
    return _evaluate(request, principal, context)


@router.post("", operation_id="getFrontendFeatures_post")
def post_frontend_features(
    request: Request,
    principal: Principal = Depends(require_frontend),
    body: RawBody = Depends(raw_body),
) -> Response:
    data = http.parse_json(body, FEATURES_POST)
    if not isinstance(data, dict):
        data = {}
    return _evaluate(request, principal, contexts.from_body(data))


@router.post("/client/metrics", operation_id="registerFrontendClientMetrics")
def register_frontend_client_metrics(
    request: Request,
    principal: Principal = Depends(require_frontend),
    body: RawBody = Depends(raw_body),
) -> Response:
    from leash.metrics import dates, schemas
    from leash.metrics import service as metrics

    data = http.parse_json(body, schemas.CLIENT_METRICS)
    dates.check_report(data)
    limited = limits.check(request, "frontend_metrics")
    with request.app.state.db.begin() as conn:
        metrics.record(conn, body=data, principal=principal)
    response = _ok()
    response.headers.update(limited)
    return response


@router.post("/client/register", operation_id="registerFrontendClient")
def register_frontend_client(
    request: Request,
    principal: Principal = Depends(require_frontend),
    body: RawBody = Depends(raw_body),
) -> Response:
    from leash.metrics import dates, schemas

    # Unleash checks the body and then stores nothing: frontend SDKs are not applications.
    dates.check_registration(http.parse_json(body, schemas.CLIENT_APPLICATION))
    response = _ok()
    response.headers.update(limits.check(request, "frontend_register"))
    return response


@router.get("/client/features", include_in_schema=False)
@router.get("/health", include_in_schema=False)
@router.get("/internal-backstage/prometheus", include_in_schema=False)
def backend_only(principal: Principal = Depends(require_frontend)) -> Response:
    raise NotImplementedByFrontend("The frontend API does not support this endpoint.")
