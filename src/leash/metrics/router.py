from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import Engine

from leash import __version__, http, limits
from leash.auth import Principal, require_admin, require_client
from leash.errors import BadDataError
from leash.http import RawBody, raw_body
from leash.metrics import dates, schemas, service

client_router = APIRouter(prefix="/api/client", tags=["Client"])
admin_router = APIRouter(prefix="/api/admin", tags=["Metrics"])


def _db(request: Request) -> Engine:
    engine: Engine = request.app.state.db
    return engine


@client_router.post("/register", operation_id="registerClientApplication", status_code=202)
def register_client_application(
    request: Request,
    principal: Principal = Depends(require_client),
    body: RawBody = Depends(raw_body),
) -> Response:
    data = http.parse_json(body, schemas.CLIENT_APPLICATION)
    dates.check_registration(data)
    # Counted after the schema check, as Unleash's rate limit runs after its validation.
    limited = limits.check(request, "client_register")
    with _db(request).begin() as conn:
        service.register(conn, body=data, principal=principal)
    return http.empty(202, headers={"X-Unleash-Version": __version__, **limited})


@client_router.post("/metrics", operation_id="registerClientMetrics", status_code=202)
def register_client_metrics(
    request: Request,
    principal: Principal = Depends(require_client),
    body: RawBody = Depends(raw_body),
) -> Response:
    data = http.parse_json(body, schemas.CLIENT_METRICS)
    dates.check_report(data)
    limited = limits.check(request, "client_metrics")
    try:
        with _db(request).begin() as conn:
            service.record(conn, body=data, principal=principal)
    except BadDataError:
        # Unleash's client route answers any failure past the schema check with a bare 400.
        return http.empty(400, headers=limited)
    return http.empty(202, headers=limited)


@admin_router.get("/client-metrics/features/{name}", operation_id="getFeatureUsageSummary")
def get_feature_usage_summary(
    request: Request, name: str, principal: Principal = Depends(require_admin)
) -> Response:
    with _db(request).connect() as conn:
        return http.json(service.feature_metrics(conn, feature_name=name))
