"""HTTP for lifecycle stages: Unleash's feature-lifecycle and lifecycle-count controllers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from leash import http, permissions
from leash.api.call import Call
from leash.api.operation import Answer, Auth, Operation
from leash.api.route import route
from leash.features import repository as features
from leash.lifecycle import schemas, service
from leash.lifecycle.schemas import FeatureLifecycleCompleted

router = APIRouter()

LIFECYCLE = "/api/admin/projects/{projectId}/features/{featureName}/lifecycle"


def _require_on_stored(call: Call[Any], *, project: str, name: str) -> None:
    """Unleash checks the path's project only; leash checks the flag's own project too."""
    call.require(project=project)
    with call.read() as conn:
        row = features.get_flag(conn, name=name)
    if row is not None and row.project != project:
        call.require(project=row.project)


@route(
    router,
    Operation(
        operation_id="getFeatureLifecycle",
        method="GET",
        path=LIFECYCLE,
        tag="Features",
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.FEATURE_LIFECYCLE),
    ),
)
def get_feature_lifecycle(call: Call[None]) -> Response:
    # As Unleash: the path's project is not checked, an unknown flag has no stages.
    with call.read() as conn:
        return http.json(service.stages(conn, name=call.path_str("featureName")))


@route(
    router,
    Operation(
        operation_id="complete",
        method="POST",
        path=LIFECYCLE + "/complete",
        tag="Features",
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_FEATURE,),
        body=schemas.FEATURE_LIFECYCLE_COMPLETED,
        answer=Answer(200),
    ),
)
def complete(call: Call[FeatureLifecycleCompleted]) -> Response:
    project, name = call.path_str("projectId"), call.path_str("featureName")
    _require_on_stored(call, project=project, name=name)
    data = call.body
    with call.write() as conn:
        service.complete(conn, name=name, project=project, body=data, actor=call.actor)
    return http.empty(200)


@route(
    router,
    Operation(
        operation_id="uncomplete",
        method="POST",
        path=LIFECYCLE + "/uncomplete",
        tag="Features",
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_FEATURE,),
        answer=Answer(200),
    ),
)
def uncomplete(call: Call[None]) -> Response:
    project, name = call.path_str("projectId"), call.path_str("featureName")
    _require_on_stored(call, project=project, name=name)
    with call.write() as conn:
        service.uncomplete(conn, name=name, project=project, actor=call.actor)
    return http.empty(200)


@route(
    router,
    Operation(
        operation_id="getFeatureLifecycleStageCount",
        method="GET",
        path="/api/admin/lifecycle/count",
        tag="Features",
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.FEATURE_LIFECYCLE_COUNT),
    ),
)
def get_feature_lifecycle_stage_count(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(service.stage_counts(conn))
