"""HTTP for what SDKs report (/api/client/register, /api/client/metrics) and the usage summary
the admin UI reads."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from leash import __version__, http, limits, permissions
from leash.api.call import Call
from leash.api.openapi import NO_SDK_TOKEN, RATE_LIMITED
from leash.api.operation import Answer, Auth, Operation
from leash.api.route import route
from leash.errors import BadDataError
from leash.metrics import applications, dates, schemas, service
from leash.metrics.buffer import Registrations
from leash.metrics.schemas import ClientApplication, ClientMetrics, CreateApplication

router = APIRouter()

CLIENT = "Client"
METRICS = "Metrics"
APPLICATIONS = "/api/admin/metrics/applications"
APPLICATION = APPLICATIONS + "/{appName}"


def registrations(call: Call[Any]) -> Registrations:
    found: Registrations = call.state.metrics_registrations
    return found


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
    # Remembered in memory; the flush job writes it (leash.metrics.buffer).
    service.register(body=data, principal=call.principal, registrations=registrations(call))
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
            service.record(
                conn, body=data, principal=call.principal, registrations=registrations(call)
            )
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


@route(
    router,
    Operation(
        operation_id="getRawFeatureMetrics",
        method="GET",
        path="/api/admin/client-metrics/features/{name}/raw",
        tag=METRICS,
        auth=Auth.ADMIN,
        query=schemas.RAW_METRICS_QUERY,
        answer=Answer(200, schemas.FEATURE_METRICS),
    ),
)
def get_raw_feature_metrics(call: Call[None]) -> Response:
    hours = service.hours_back(call.query("hoursBack"))
    with call.read() as conn:
        return http.json(service.raw_metrics(conn, feature_name=call.path_str("name"), hours=hours))


# -- applications -----------------------------------------------------------------------------


@route(
    router,
    Operation(
        operation_id="getApplications",
        method="GET",
        path=APPLICATIONS,
        tag=METRICS,
        auth=Auth.ADMIN,
        query=schemas.APPLICATIONS_QUERY,
        answer=Answer(200, schemas.APPLICATIONS),
    ),
)
def get_applications(call: Call[None]) -> Response:
    offset, limit = applications.page_params(
        offset=call.query("offset"), limit=call.query("limit"), default_limit=1000, max_limit=1000
    )
    with call.read() as conn:
        return http.json(
            applications.list_applications(
                conn,
                query=call.query("query"),
                offset=offset,
                limit=limit,
                sort_order=call.query("sortOrder"),
            )
        )


@route(
    router,
    Operation(
        operation_id="getApplication",
        method="GET",
        path=APPLICATION,
        tag=METRICS,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.APPLICATION_DETAILS),
    ),
)
def get_application(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(applications.get_application(conn, app_name=call.path_str("appName")))


@route(
    router,
    Operation(
        operation_id="createApplication",
        method="POST",
        path=APPLICATION,
        tag=METRICS,
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_APPLICATION,),
        body=schemas.CREATE_APPLICATION,
        answer=Answer(202),
    ),
)
def create_application(call: Call[CreateApplication]) -> Response:
    call.require()
    body = call.body
    # Applications are only what SDKs reported: nothing SDKs are served changes.
    with call.write(refresh=False) as conn:
        applications.create_application(conn, app_name=call.path_str("appName"), body=body)
    return http.empty(202)


@route(
    router,
    Operation(
        operation_id="deleteApplication",
        method="DELETE",
        path=APPLICATION,
        tag=METRICS,
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_APPLICATION,),
        answer=Answer(200),
    ),
)
def delete_application(call: Call[None]) -> Response:
    call.require()
    with call.write(refresh=False) as conn:
        applications.delete_application(conn, app_name=call.path_str("appName"))
    return http.empty(200)


@route(
    router,
    Operation(
        operation_id="getApplicationOverview",
        method="GET",
        path=APPLICATION + "/overview",
        tag=METRICS,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.APPLICATION_OVERVIEW),
    ),
)
def get_application_overview(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(applications.overview(conn, app_name=call.path_str("appName")))


@route(
    router,
    Operation(
        operation_id="getApplicationEnvironmentInstances",
        method="GET",
        path="/api/admin/metrics/instances/{appName}/environment/{environment}",
        tag=METRICS,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.ENVIRONMENT_INSTANCES),
    ),
)
def get_application_environment_instances(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(
            applications.environment_instances(
                conn,
                app_name=call.path_str("appName"),
                environment=call.path_str("environment"),
            )
        )


@route(
    router,
    Operation(
        operation_id="getOutdatedSdks",
        method="GET",
        path="/api/admin/metrics/sdks/outdated",
        tag=METRICS,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.OUTDATED_SDKS),
    ),
)
def get_outdated_sdks(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(applications.outdated_sdks(conn))


@route(
    router,
    Operation(
        operation_id="getUnknownFlags",
        method="GET",
        path="/api/admin/metrics/unknown-flags",
        tag="Unknown Flags",
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.UNKNOWN_FLAGS),
    ),
)
def get_unknown_flags(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(service.unknown_flags(conn))
