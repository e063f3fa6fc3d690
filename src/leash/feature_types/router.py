"""HTTP for /api/admin/feature-types: Unleash's feature type controller."""

from __future__ import annotations

from fastapi import APIRouter, Response

from leash import http, permissions
from leash.api.call import Call
from leash.api.operation import Answer, Auth, Operation
from leash.api.route import route
from leash.feature_types import schemas, service
from leash.feature_types.schemas import UpdateFeatureTypeLifetime

router = APIRouter()

TAG = "Feature Types"
FEATURE_TYPES = "/api/admin/feature-types"


@route(
    router,
    Operation(
        operation_id="getAllFeatureTypes",
        method="GET",
        path=FEATURE_TYPES,
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.FEATURE_TYPES),
    ),
)
def get_all_feature_types(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(service.list_all(conn))


@route(
    router,
    Operation(
        operation_id="updateFeatureTypeLifetime",
        method="PUT",
        path=FEATURE_TYPES + "/{id}/lifetime",
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.ADMIN,),
        body=schemas.UPDATE_FEATURE_TYPE_LIFETIME,
        documented_body=schemas.DOCUMENTED_UPDATE_FEATURE_TYPE_LIFETIME,
        answer=Answer(200, schemas.FEATURE_TYPE),
    ),
)
def update_feature_type_lifetime(call: Call[UpdateFeatureTypeLifetime]) -> Response:
    call.require()
    data = call.body
    # A flag type's lifetime is not part of what SDKs are served.
    with call.write(refresh=False) as conn:
        updated = service.update_lifetime(
            conn,
            type_id=call.path_str("id").lower(),
            lifetime_days=data["lifetimeDays"],
            actor=call.actor,
        )
    return http.json(updated)
