"""HTTP for a project's reports: overview, health report, insights, status, DORA, flag
creators, applications and outdated SDKs (Unleash answers them to any admin caller)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from leash import http
from leash.api.call import Call
from leash.api.openapi import INTEGER, OBJECT, STRING, array, obj
from leash.api.operation import Answer, Auth, Operation
from leash.api.route import route
from leash.metrics import applications
from leash.metrics import schemas as metrics_schemas
from leash.projects import dashboard, reports

router = APIRouter()

TAG = "Projects"
PROJECT = "/api/admin/projects/{projectId}"
_QUERY = {"type": "string"}


@route(
    router,
    Operation(
        operation_id="getProjectOverview",
        method="GET",
        path=PROJECT + "/overview",
        tag=TAG,
        auth=Auth.ADMIN,
        query={"archived": _QUERY},
        answer=Answer(200, obj(["name", "version"], name=STRING, version=INTEGER)),
    ),
)
def get_project_overview(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(
            reports.overview(
                conn, project_id=call.path_str("projectId"), user_id=call.principal.user_id
            )
        )


@route(
    router,
    Operation(
        operation_id="getProjectHealthReport",
        method="GET",
        path=PROJECT + "/health-report",
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, obj(["name", "features"], name=STRING, features=array(OBJECT))),
    ),
)
def get_project_health_report(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(reports.health_report(conn, project_id=call.path_str("projectId")))


@route(
    router,
    Operation(
        operation_id="getProjectInsights",
        method="GET",
        path=PROJECT + "/insights",
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, obj(["stats", "leadTime"], stats=OBJECT, leadTime=OBJECT)),
    ),
)
def get_project_insights(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(reports.insights(conn, project_id=call.path_str("projectId")))


@route(
    router,
    Operation(
        operation_id="getProjectStatus",
        method="GET",
        path=PROJECT + "/status",
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, obj(["resources", "health"], resources=OBJECT, health=OBJECT)),
    ),
)
def get_project_status(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(reports.status(conn, project_id=call.path_str("projectId")))


@route(
    router,
    Operation(
        operation_id="getProjectDora",
        method="GET",
        path=PROJECT + "/dora",
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, obj(["features", "projectAverage"], features=array(OBJECT))),
    ),
)
def get_project_dora(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(reports.dora(conn, project_id=call.path_str("projectId")))


@route(
    router,
    Operation(
        operation_id="getProjectFlagCreators",
        method="GET",
        path=PROJECT + "/flag-creators",
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, array(obj(["id", "name"], id=INTEGER, name=STRING))),
    ),
)
def get_project_flag_creators(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(reports.flag_creators(conn, project_id=call.path_str("projectId")))


@route(
    router,
    Operation(
        operation_id="getProjectApplications",
        method="GET",
        path=PROJECT + "/applications",
        tag=TAG,
        auth=Auth.ADMIN,
        query={name: _QUERY for name in ("query", "offset", "limit", "sortBy", "sortOrder")},
        answer=Answer(200, metrics_schemas.PROJECT_APPLICATIONS),
    ),
)
def get_project_applications(call: Call[None]) -> Response:
    offset, limit = applications.page_params(
        offset=call.query("offset"), limit=call.query("limit"), default_limit=50, max_limit=100
    )
    with call.read() as conn:
        return http.json(
            applications.project_applications(
                conn,
                project=call.path_str("projectId"),
                query=call.query("query"),
                offset=offset,
                limit=limit,
                sort_order=call.query("sortOrder"),
            )
        )


@route(
    router,
    Operation(
        operation_id="getOutdatedProjectSdks",
        method="GET",
        path=PROJECT + "/sdks/outdated",
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, metrics_schemas.OUTDATED_SDKS),
    ),
)
def get_outdated_project_sdks(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(
            applications.outdated_project_sdks(conn, project=call.path_str("projectId"))
        )


@route(
    router,
    Operation(
        operation_id="getPersonalDashboard",
        method="GET",
        path="/api/admin/personal-dashboard",
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(
            200,
            obj(
                ["projects", "flags", "projectOwners", "admins"],
                projects=array(OBJECT),
                flags=array(OBJECT),
                projectOwners=array(OBJECT),
                admins=array(OBJECT),
            ),
        ),
    ),
)
def get_personal_dashboard(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(dashboard.dashboard(conn, user_id=call.actor.user_id))


@route(
    router,
    Operation(
        operation_id="getPersonalDashboardProjectDetails",
        method="GET",
        path="/api/admin/personal-dashboard/{projectId}",
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(
            200,
            obj(
                ["latestEvents", "onboardingStatus", "owners", "roles", "insights"],
                latestEvents=array(OBJECT),
                onboardingStatus=OBJECT,
                owners=array(OBJECT),
                roles=array(OBJECT),
                insights=OBJECT,
            ),
        ),
    ),
)
def get_personal_dashboard_project_details(call: Call[None]) -> Response:
    with call.read() as conn:
        details = dashboard.project_details(
            conn,
            user_id=call.actor.user_id,
            project_id=call.path_str("projectId"),
            unleash_url=call.settings.unleash_url,
        )
    return http.json(details)
