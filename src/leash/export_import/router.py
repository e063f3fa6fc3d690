"""HTTP for /api/admin/features-batch (Unleash's export-import controller). Its routes ask for
no permission of their own (Unleash's NONE): validate lists what an import would need, and
the import checks it before it writes."""

from __future__ import annotations

from fastapi import APIRouter, Response

from leash import http
from leash.api.call import Call
from leash.api.operation import Answer, Auth, Operation
from leash.api.route import route
from leash.export_import import schemas, service
from leash.export_import.schemas import ExportQuery, ImportToggles

router = APIRouter()

TAG = "Import/Export"
BATCH = "/api/admin/features-batch"


@route(
    router,
    Operation(
        operation_id="exportFeatures",
        method="POST",
        path=BATCH + "/export",
        tag=TAG,
        auth=Auth.ADMIN,
        body=schemas.EXPORT_QUERY,
        answer=Answer(200, schemas.EXPORTED),
    ),
)
def export_features(call: Call[ExportQuery]) -> Response:
    query = call.body
    # Unleash 8.2 answers JSON whatever `downloadFile` says (no attachment header).
    with call.write(refresh=False) as conn:
        result = service.export(conn, query=query, actor=call.actor)
    return http.json(result)


@route(
    router,
    Operation(
        operation_id="validateImport",
        method="POST",
        path=BATCH + "/validate",
        tag=TAG,
        auth=Auth.ADMIN,
        body=schemas.IMPORT_TOGGLES,
        answer=Answer(200, schemas.VALIDATE_RESULT),
    ),
)
def validate_import(call: Call[ImportToggles]) -> Response:
    body = call.body
    with call.read() as conn:
        result = service.validate(conn, body=body, principal=call.principal)
    return http.json(result)


@route(
    router,
    Operation(
        operation_id="importToggles",
        method="POST",
        path=BATCH + "/import",
        tag=TAG,
        auth=Auth.ADMIN,
        body=schemas.IMPORT_TOGGLES,
        answer=Answer(200),
    ),
)
def import_toggles(call: Call[ImportToggles]) -> Response:
    body = call.body
    service.refuse_admin_token(call.principal)
    with call.write() as conn:
        service.import_toggles(conn, body=body, principal=call.principal, settings=call.settings)
    return http.empty(200)
