"""HTTP for /api/admin/instance-admin: the instance's usage statistics, as JSON or CSV.
Unleash asks no permission for them: any admin-API caller may read them."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Response

from leash import http
from leash.api.call import Call
from leash.api.openapi import INTEGER, STRING, obj
from leash.api.operation import CSV, Answer, Auth, Operation
from leash.api.route import route
from leash.instance_admin import csv, service

router = APIRouter()

TAG = "Instance Admin"
STATISTICS = "/api/admin/instance-admin/statistics"
_STATS = obj(
    ["timestamp", "instanceId", "sum"],
    timestamp=STRING,
    instanceId=STRING,
    sum=STRING,
    users=INTEGER,
    featureToggles=INTEGER,
)


@route(
    router,
    Operation(
        operation_id="getInstanceAdminStats",
        method="GET",
        path=STATISTICS,
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, _STATS),
    ),
)
def get_instance_admin_stats(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(service.statistics(conn, now=datetime.now(UTC)))


@route(
    router,
    Operation(
        operation_id="getInstanceAdminStatsCsv",
        method="GET",
        path=STATISTICS + "/csv",
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, CSV),
    ),
)
def get_instance_admin_stats_csv(call: Call[None]) -> Response:
    now = datetime.now(UTC)
    with call.read() as conn:
        stats = service.statistics(conn, now=now)
    name = f"unleash-{stats['instanceId']}-{int(now.timestamp() * 1000)}.csv"
    return Response(
        content=csv.render(stats).encode(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
