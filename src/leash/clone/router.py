"""HTTP for cloneFeature (Unleash's feature-toggle controller, its clone route)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from leash import http, permissions
from leash.api.call import Call
from leash.api.operation import Answer, Auth, Operation
from leash.api.route import route
from leash.clone import schemas, service
from leash.clone.schemas import CloneFeature
from leash.features.schemas import FLAG
from leash.features.strategies import Limits

router = APIRouter()


@route(
    router,
    Operation(
        operation_id="cloneFeature",
        method="POST",
        path="/api/admin/projects/{projectId}/features/{featureName}/clone",
        tag="Features",
        auth=Auth.ADMIN,
        permissions=(permissions.CREATE_FEATURE,),
        body=schemas.CLONE_FEATURE,
        # Unleash documents 200 and answers 201.
        answer=Answer(201, FLAG),
    ),
)
def clone_feature(call: Call[CloneFeature]) -> Response:
    project, name = call.path_str("projectId"), call.path_str("featureName")
    call.require(project=project)
    data = call.body
    with call.write() as conn:
        service.source(conn, project=project, name=name)
        service.check_clonable(conn, name=name, new_name=data["name"])
        with_strategies, with_variants = service.environments_needing(conn, name=name)
        # The new flag gets the source's strategies and variants: the caller needs the
        # permissions to add them too (leash grants per project, not per environment).
        if with_strategies:
            permissions.require_any(
                call.principal, permissions.CREATE_FEATURE_STRATEGY, project=project
            )
        if with_variants:
            permissions.require_any(
                call.principal, permissions.UPDATE_FEATURE_ENVIRONMENT_VARIANTS, project=project
            )
        created = service.clone(
            conn,
            project=project,
            name=name,
            body=data,
            actor=call.actor,
            limits=Limits(strategy_segments=call.settings.strategy_segments_limit),
        )
    return http.json(created, status_code=201)
