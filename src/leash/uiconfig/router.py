"""HTTP for /api/admin/ui-config."""

from __future__ import annotations

from fastapi import APIRouter, Response

from leash import http
from leash.api.call import Call
from leash.api.openapi import BOOLEAN, OBJECT, STRING, obj
from leash.api.operation import Answer, Auth, Operation
from leash.api.route import route
from leash.auth import bearer_secret
from leash.identity import SESSION_COOKIE
from leash.instance_admin import service as instance
from leash.maintenance import service as maintenance
from leash.uiconfig import service
from leash.users import repository as users

router = APIRouter()

UI_CONFIG = obj(
    ["version", "unleashUrl", "baseUriPath", "versionInfo"],
    version=STRING,
    unleashUrl=STRING,
    baseUriPath=STRING,
    versionInfo=OBJECT,
    flags=OBJECT,
    maintenanceMode=BOOLEAN,
)


@route(
    router,
    Operation(
        operation_id="getUiConfig",
        method="GET",
        path="/api/admin/ui-config",
        tag="Admin UI",
        auth=Auth.ADMIN,
        answer=Answer(200, UI_CONFIG),
    ),
)
def get_ui_config(call: Call[None]) -> Response:
    principal = call.principal
    email = None
    with call.read() as conn:
        if principal.user_id is not None:
            row = users.user(conn, user_id=principal.user_id)
            email = row.email if row is not None else None
        maintenance_on = bool(maintenance.setting(conn)["enabled"])
        instance_id = instance.instance_id(conn)
    sid = None if bearer_secret(call.request) else call.request.cookies.get(SESSION_COOKIE)
    body = service.ui_config(
        settings=call.settings,
        principal=principal,
        email=email,
        sid=sid,
        maintenance=maintenance_on,
        instance_id=instance_id,
    )
    return http.json(body)
