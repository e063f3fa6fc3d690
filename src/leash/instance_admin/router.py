"""HTTP for /api/admin/instance-admin (Unleash's instance-admin controller). Unleash asks for
no permission: any admin token, PAT or session may read the statistics."""

from __future__ import annotations

from fastapi import APIRouter, Response

from leash import http
from leash.api.call import Call
from leash.api.operation import TEXT, Answer, Auth, Operation
from leash.api.route import route
from leash.db.base import utcnow
from leash.instance_admin import schemas, service

router = APIRouter()

TAG = "Instance Admin"
STATISTICS = "/api/admin/instance-admin/statistics"


def _statistics(call: Call[None]) -> dict[str, object]:
    # The instance id is made on first use, hence a write; SDKs never see it.
    with call.write(refresh=False) as conn:
        return service.statistics(conn, now=utcnow())


@route(
    router,
    Operation(
        operation_id="getInstanceAdminStats",
        method="GET",
        path=STATISTICS,
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.INSTANCE_ADMIN_STATS),
    ),
)
def get_instance_admin_stats(call: Call[None]) -> Response:
    return http.json(_statistics(call))


@route(
    router,
    Operation(
        operation_id="getInstanceAdminStatsCsv",
        method="GET",
        path=STATISTICS + "/csv",
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, TEXT),
    ),
)
def get_instance_admin_stats_csv(call: Call[None]) -> Response:
    stats = _statistics(call)
    now = utcnow()
    name = service.csv_file_name(instance=str(stats["instanceId"]), now=now)
    return Response(
        service.to_csv(stats),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
