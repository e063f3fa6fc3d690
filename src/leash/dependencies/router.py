"""HTTP for flag dependencies: Unleash's dependent features controller."""

from __future__ import annotations

from fastapi import APIRouter, Response

from leash import http, permissions
from leash.api.call import Call
from leash.api.operation import Answer, Auth, Operation
from leash.api.route import route
from leash.dependencies import schemas, service
from leash.dependencies.schemas import CreateDependentFeature

router = APIRouter()

TAG = "Dependencies"
FEATURES = "/api/admin/projects/{projectId}/features"
DEPENDENCIES = FEATURES + "/{child}/dependencies"


@route(
    router,
    Operation(
        operation_id="addFeatureDependency",
        method="POST",
        path=DEPENDENCIES,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_FEATURE_DEPENDENCY,),
        body=schemas.CREATE_DEPENDENT_FEATURE,
        answer=Answer(200),
    ),
)
def add_feature_dependency(call: Call[CreateDependentFeature]) -> Response:
    project = call.path_str("projectId")
    call.require(project=project)
    data = call.body
    with call.write() as conn:
        service.add_dependency(
            conn, project=project, child=call.path_str("child"), body=data, actor=call.actor
        )
    return http.empty(200)


@route(
    router,
    Operation(
        operation_id="deleteFeatureDependency",
        method="DELETE",
        path=DEPENDENCIES + "/{parent}",
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_FEATURE_DEPENDENCY,),
        answer=Answer(200),
    ),
)
def delete_feature_dependency(call: Call[None]) -> Response:
    project = call.path_str("projectId")
    call.require(project=project)
    with call.write() as conn:
        service.delete_dependency(
            conn,
            project=project,
            child=call.path_str("child"),
            parent=call.path_str("parent"),
            actor=call.actor,
        )
    return http.empty(200)


@route(
    router,
    Operation(
        operation_id="deleteFeatureDependencies",
        method="DELETE",
        path=DEPENDENCIES,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_FEATURE_DEPENDENCY,),
        answer=Answer(200),
    ),
)
def delete_feature_dependencies(call: Call[None]) -> Response:
    project = call.path_str("projectId")
    call.require(project=project)
    with call.write() as conn:
        service.delete_dependencies(
            conn, project=project, child=call.path_str("child"), actor=call.actor
        )
    return http.empty(200)


@route(
    router,
    Operation(
        operation_id="listParentOptions",
        method="GET",
        path=FEATURES + "/{child}/parents",
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.PARENT_FEATURE_OPTIONS),
    ),
)
def list_parent_options(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(service.possible_parents(conn, child=call.path_str("child")))


@route(
    router,
    Operation(
        operation_id="listParentVariantOptions",
        method="GET",
        path=FEATURES + "/{parent}/parent-variants",
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.PARENT_VARIANT_OPTIONS),
    ),
)
def list_parent_variant_options(call: Call[None]) -> Response:
    with call.read() as conn:
        found = service.possible_parent_variants(conn, parent=call.path_str("parent"))
    return http.json(found)


@route(
    router,
    Operation(
        operation_id="checkDependenciesExist",
        method="GET",
        path="/api/admin/projects/{projectId}/dependencies",
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.DEPENDENCIES_EXIST),
    ),
)
def check_dependencies_exist(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(service.dependencies_exist(conn))
