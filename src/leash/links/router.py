"""HTTP for flag links (Unleash's feature-link controller). Unleash checks UPDATE_FEATURE on
the path's project only; leash checks it on the flag's own project too."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from leash import http, permissions
from leash.api.call import Call
from leash.api.operation import Answer, Auth, Operation
from leash.api.route import route
from leash.features import repository as features
from leash.links import schemas, service
from leash.links.schemas import Link

router = APIRouter()

LINK = "/api/admin/projects/{projectId}/features/{featureName}/link"


def _require(call: Call[Any], *, project: str, name: str) -> None:
    call.require(project=project)
    with call.read() as conn:
        row = features.get_flag(conn, name=name)
    if row is not None and row.project != project:
        call.require(project=row.project)


def _operation(operation_id: str, method: str, path: str, *, body: bool) -> Operation:
    return Operation(
        operation_id=operation_id,
        method=method,
        path=path,
        tag="Features",
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_FEATURE,),
        body=schemas.LINK if body else None,
        answer=Answer(204),
    )


@route(router, _operation("createFeatureLink", "POST", LINK, body=True))
def create_feature_link(call: Call[Link]) -> Response:
    project, name = call.path_str("projectId"), call.path_str("featureName")
    _require(call, project=project, name=name)
    data = call.body
    with call.write(refresh=False) as conn:
        service.create(conn, project=project, feature=name, body=data, actor=call.actor)
    return http.empty(204)


@route(router, _operation("updateFeatureLink", "PUT", LINK + "/{linkId}", body=True))
def update_feature_link(call: Call[Link]) -> Response:
    project, name = call.path_str("projectId"), call.path_str("featureName")
    _require(call, project=project, name=name)
    data = call.body
    with call.write(refresh=False) as conn:
        service.update(
            conn,
            project=project,
            feature=name,
            link_id=call.path_str("linkId"),
            body=data,
            actor=call.actor,
        )
    return http.empty(204)


@route(router, _operation("deleteFeatureLink", "DELETE", LINK + "/{linkId}", body=False))
def delete_feature_link(call: Call[None]) -> Response:
    project, name = call.path_str("projectId"), call.path_str("featureName")
    _require(call, project=project, name=name)
    with call.write(refresh=False) as conn:
        service.delete(
            conn, project=project, feature=name, link_id=call.path_str("linkId"), actor=call.actor
        )
    return http.empty(204)
