"""HTTP for /api/admin/projects and /api/admin/environments: the lists, the environments and
a project's environments."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from leash import http, permissions
from leash.api.call import Call
from leash.api.operation import Answer, Auth, Operation
from leash.api.route import route
from leash.features.schemas import CreateFeatureStrategy
from leash.projects import environments, project_environments, schemas, service
from leash.projects.schemas import ProjectEnvironment

router = APIRouter()

TAG = "Projects"
ENVIRONMENTS_TAG = "Environments"
ENVIRONMENT = "/api/admin/environments/{name}"
PROJECT_ENVIRONMENTS = "/api/admin/projects/{projectId}/environments"


@route(
    router,
    Operation(
        operation_id="getProjects",
        method="GET",
        path="/api/admin/projects",
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.PROJECTS),
    ),
)
def get_projects(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(service.list_projects(conn, user_id=call.principal.user_id))


@route(
    router,
    Operation(
        operation_id="getAllEnvironments",
        method="GET",
        path="/api/admin/environments",
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.ENVIRONMENTS),
    ),
)
def get_environments(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(service.list_environments(conn))


@route(
    router,
    Operation(
        operation_id="getEnvironment",
        method="GET",
        path=ENVIRONMENT,
        tag=ENVIRONMENTS_TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.ENVIRONMENT),
    ),
)
def get_environment(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(environments.get_environment(conn, name=call.path_str("name")))


@route(
    router,
    Operation(
        operation_id="getProjectEnvironments",
        method="GET",
        path="/api/admin/environments/project/{projectId}",
        tag=ENVIRONMENTS_TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.PROJECT_ENVIRONMENTS),
    ),
)
def get_project_environments(call: Call[None]) -> Response:
    project_id = call.path_str("projectId")
    with call.read() as conn:
        return http.json(environments.project_environments(conn, project_id=project_id))


@route(
    router,
    Operation(
        operation_id="updateSortOrder",
        method="PUT",
        path="/api/admin/environments/sort-order",
        tag=ENVIRONMENTS_TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.ADMIN,),
        body=schemas.SORT_ORDER,
        answer=Answer(200),
    ),
)
def update_sort_order(call: Call[dict[str, int]]) -> Response:
    call.require()
    sort_order = call.body
    # Only the admin UI reads the order: SDKs never see it, and Unleash records no event.
    with call.write(refresh=False) as conn:
        environments.update_sort_order(conn, sort_order=sort_order)
    return http.empty(200)


def _toggle(call: Call[None], *, enabled: bool) -> Response:
    call.require()
    # A disabled environment is still served to SDKs (environments.py); no event either.
    with call.write(refresh=False) as conn:
        environments.toggle(conn, name=call.path_str("name"), enabled=enabled)
    return http.empty(204)


@route(
    router,
    Operation(
        operation_id="toggleEnvironmentOn",
        method="POST",
        path=ENVIRONMENT + "/on",
        tag=ENVIRONMENTS_TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.ADMIN,),
        answer=Answer(204),
    ),
)
def toggle_environment_on(call: Call[None]) -> Response:
    return _toggle(call, enabled=True)


@route(
    router,
    Operation(
        operation_id="toggleEnvironmentOff",
        method="POST",
        path=ENVIRONMENT + "/off",
        tag=ENVIRONMENTS_TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.ADMIN,),
        answer=Answer(204),
    ),
)
def toggle_environment_off(call: Call[None]) -> Response:
    return _toggle(call, enabled=False)


@route(
    router,
    Operation(
        operation_id="addEnvironmentToProject",
        method="POST",
        path=PROJECT_ENVIRONMENTS,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_PROJECT,),
        body=schemas.PROJECT_ENVIRONMENT,
        answer=Answer(200),
    ),
)
def add_environment_to_project(call: Call[ProjectEnvironment]) -> Response:
    project_id = call.path_str("projectId")
    call.require(project=project_id)
    environment = call.body["environment"]
    with call.write() as conn:
        project_environments.require_project(conn, project_id=project_id)
        project_environments.add(
            conn, project_id=project_id, environment=environment, actor=call.actor
        )
    return http.empty(200)


@route(
    router,
    Operation(
        operation_id="removeEnvironmentFromProject",
        method="DELETE",
        path=PROJECT_ENVIRONMENTS + "/{environment}",
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_PROJECT,),
        answer=Answer(200),
    ),
)
def remove_environment_from_project(call: Call[None]) -> Response:
    project_id = call.path_str("projectId")
    call.require(project=project_id)
    with call.write() as conn:
        project_environments.remove(
            conn, project_id=project_id, environment=call.path_str("environment"), actor=call.actor
        )
    return http.empty(200)


@route(
    router,
    Operation(
        operation_id="addDefaultStrategyToProjectEnvironment",
        method="POST",
        path=PROJECT_ENVIRONMENTS + "/{environment}/default-strategy",
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_PROJECT, permissions.PROJECT_DEFAULT_STRATEGY_WRITE),
        body=schemas.DEFAULT_STRATEGY,
        answer=Answer(200, schemas.DEFAULT_STRATEGY),
    ),
)
def add_default_strategy(call: Call[CreateFeatureStrategy]) -> Response:
    project_id = call.path_str("projectId")
    call.require(project=project_id)
    strategy: dict[str, Any] = dict(call.body)
    # SDKs never see a default until a flag is turned on with it (an event of its own).
    with call.write(refresh=False) as conn:
        saved = project_environments.set_default_strategy(
            conn,
            project_id=project_id,
            environment=call.path_str("environment"),
            strategy=strategy,
            actor=call.actor,
        )
    return http.json(saved)
