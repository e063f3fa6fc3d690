"""HTTP for /api/admin/maintenance (Unleash's maintenance controller) and the telemetry settings."""

from __future__ import annotations

from fastapi import APIRouter, Response

from leash import http, permissions
from leash.api.call import Call
from leash.api.operation import Answer, Auth, Operation
from leash.api.route import route
from leash.maintenance import schemas, service
from leash.maintenance.schemas import ToggleMaintenance

router = APIRouter()

TAG = "Maintenance"
MAINTENANCE = "/api/admin/maintenance"
_PERMISSIONS = (permissions.ADMIN, permissions.UPDATE_MAINTENANCE_MODE)


@route(
    router,
    Operation(
        operation_id="toggleMaintenance",
        method="POST",
        path=MAINTENANCE,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=_PERMISSIONS,
        body=schemas.TOGGLE_MAINTENANCE,
        answer=Answer(204),
    ),
)
def toggle_maintenance(call: Call[ToggleMaintenance]) -> Response:
    call.require()
    data = call.body
    # SDKs are served the same either way; other processes read the setting per request.
    with call.write(refresh=False) as conn:
        service.toggle(conn, enabled=data["enabled"], actor=call.actor)
    return http.empty(204)


@route(
    router,
    Operation(
        operation_id="getMaintenance",
        method="GET",
        path=MAINTENANCE,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=_PERMISSIONS,
        answer=Answer(200, schemas.MAINTENANCE),
    ),
)
def get_maintenance(call: Call[None]) -> Response:
    call.require()
    with call.read() as conn:
        return http.json(service.setting(conn))


@route(
    router,
    Operation(
        operation_id="getTelemetrySettings",
        method="GET",
        path="/api/admin/telemetry/settings",
        tag="Telemetry",
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.TELEMETRY_SETTINGS),
    ),
)
def get_telemetry_settings(call: Call[None]) -> Response:
    # Unleash answers its configured version check and telemetry (both on by default); leash
    # has neither: it sends nothing anywhere.
    return http.json({"versionInfoCollectionEnabled": False, "featureInfoCollectionEnabled": False})
