"""HTTP for what SDKs report (/api/client/register, /api/client/metrics) and the usage summary
the admin UI reads."""

from __future__ import annotations

from fastapi import APIRouter, Response

from leash import __version__, http, limits
from leash.api.call import Call
from leash.api.openapi import NO_SDK_TOKEN, RATE_LIMITED
from leash.api.operation import Answer, Auth, Operation
from leash.api.route import route
from leash.errors import BadDataError
from leash.metrics import dates, schemas, service
from leash.metrics.schemas import ClientApplication, ClientMetrics

router = APIRouter()

CLIENT = "Client"
SDK_BARE = {**NO_SDK_TOKEN, **RATE_LIMITED}


@route(
    router,
    Operation(
        operation_id="registerClientApplication",
        method="POST",
        path="/api/client/register",
        tag=CLIENT,
        auth=Auth.CLIENT,
        body=schemas.CLIENT_APPLICATION,
        body_check=dates.registration,
        answer=Answer(202),
        bare=SDK_BARE,
    ),
)
def register_client_application(call: Call[ClientApplication]) -> Response:
    data = call.body
    # Counted after the schema check, as Unleash's rate limit runs after its validation.
    limited = limits.check(call.request, "client_register")
    with call.write(refresh=False) as conn:
        service.register(conn, body=data, principal=call.principal)
    return http.empty(202, headers={"X-Unleash-Version": __version__, **limited})


@route(
    router,
    Operation(
        operation_id="registerClientMetrics",
        method="POST",
        path="/api/client/metrics",
        tag=CLIENT,
        auth=Auth.CLIENT,
        body=schemas.CLIENT_METRICS,
        body_check=dates.report,
        answer=Answer(202),
        bare=SDK_BARE,
        # Counts beyond Number.MAX_SAFE_INTEGER: a bare 400 (see below).
        maybe_empty=frozenset({400}),
    ),
)
def register_client_metrics(call: Call[ClientMetrics]) -> Response:
    data = call.body
    limited = limits.check(call.request, "client_metrics")
    try:
        with call.write(refresh=False) as conn:
            service.record(conn, body=data, principal=call.principal)
    except BadDataError:
        # Unleash's client route answers any failure past the schema check with a bare 400.
        return http.empty(400, headers=limited)
    return http.empty(202, headers=limited)


@route(
    router,
    Operation(
        operation_id="getFeatureUsageSummary",
        method="GET",
        path="/api/admin/client-metrics/features/{name}",
        tag="Metrics",
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.FEATURE_USAGE_SUMMARY),
    ),
)
def get_feature_usage_summary(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(service.feature_metrics(conn, feature_name=call.path_str("name")))
