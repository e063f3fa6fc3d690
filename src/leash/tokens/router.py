"""HTTP for /api/admin/api-tokens: list, create, change expiry, delete."""

from __future__ import annotations

from fastapi import APIRouter, Response

from leash import http, permissions
from leash.api.call import Call
from leash.api.openapi import link
from leash.api.operation import Answer, Auth, Operation
from leash.api.route import route
from leash.identity import CLIENT_TYPES, Principal
from leash.tokens import schemas, service
from leash.tokens.schemas import CreateApiToken, CreateProjectApiToken, UpdateApiToken

router = APIRouter()

TAG = "API tokens"
TOKENS = "/api/admin/api-tokens"
# Any path: a token's secret holds no slash, but Unleash's route takes the rest of the path.
TOKEN = TOKENS + "/{token:path}"
_NEW_TOKEN_SECRET = "$response.body#/secret"


def _readable_types(principal: Principal) -> tuple[str, ...] | None:
    """Admins see every token; readers see the types their permissions name, never admin."""
    if permissions.is_root_admin(principal):
        return None
    types: tuple[str, ...] = ()
    if permissions.has_any(principal, (permissions.READ_CLIENT_API_TOKEN,), project=None):
        types += CLIENT_TYPES
    if permissions.has_any(principal, (permissions.READ_FRONTEND_API_TOKEN,), project=None):
        types += ("frontend",)
    return types


@route(
    router,
    Operation(
        operation_id="getAllApiTokens",
        method="GET",
        path=TOKENS,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(
            permissions.ADMIN,
            permissions.READ_CLIENT_API_TOKEN,
            permissions.READ_FRONTEND_API_TOKEN,
        ),
        answer=Answer(200, schemas.API_TOKENS),
    ),
)
def get_all_api_tokens(call: Call[None]) -> Response:
    call.require()
    with call.read() as conn:
        tokens = service.list_tokens(conn, types=_readable_types(call.principal))
    return http.json({"tokens": tokens})


@route(
    router,
    Operation(
        operation_id="createApiToken",
        method="POST",
        path=TOKENS,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(
            permissions.ADMIN,
            permissions.CREATE_CLIENT_API_TOKEN,
            permissions.CREATE_FRONTEND_API_TOKEN,
        ),
        body=schemas.CREATE_API_TOKEN,
        answer=Answer(
            201,
            schemas.API_TOKEN,
            links={
                "UpdateApiToken": link("updateApiToken", token=_NEW_TOKEN_SECRET),
                "DeleteApiToken": link("deleteApiToken", token=_NEW_TOKEN_SECRET),
            },
        ),
    ),
)
def create_api_token(call: Call[CreateApiToken]) -> Response:
    call.require()
    data = call.body
    # The permission for the kind asked for, once the body says which.
    wanted = (
        permissions.CREATE_FRONTEND_API_TOKEN
        if str(data["type"]).lower() == "frontend"
        else permissions.CREATE_CLIENT_API_TOKEN
    )
    permissions.require_any(call.principal, permissions.ADMIN, wanted)
    with call.write() as conn:
        created = service.create_from_api(conn, body=data, actor=call.actor)
    return http.json(created, status_code=201, headers={"Location": "api-tokens"})


@route(
    router,
    Operation(
        operation_id="updateApiToken",
        method="PUT",
        path=TOKEN,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(
            permissions.ADMIN,
            permissions.UPDATE_CLIENT_API_TOKEN,
            permissions.UPDATE_FRONTEND_API_TOKEN,
        ),
        body=schemas.UPDATE_API_TOKEN,
        answer=Answer(200),
    ),
)
def update_api_token(call: Call[UpdateApiToken]) -> Response:
    call.require()
    expires_at = service.stored_datetime(call.body["expiresAt"])
    with call.write() as conn:
        service.update_expiry(
            conn, secret=call.path_str("token"), expires_at=expires_at, actor=call.actor
        )
    return http.empty(200)


@route(
    router,
    Operation(
        operation_id="deleteApiToken",
        method="DELETE",
        path=TOKEN,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(
            permissions.ADMIN,
            permissions.DELETE_CLIENT_API_TOKEN,
            permissions.DELETE_FRONTEND_API_TOKEN,
        ),
        answer=Answer(200),
    ),
)
def delete_api_token(call: Call[None]) -> Response:
    call.require()
    with call.write() as conn:
        service.delete(conn, secret=call.path_str("token"), actor=call.actor)
    return http.empty(200)


@route(
    router,
    Operation(
        operation_id="getApiTokensByName",
        method="GET",
        path=TOKENS + "/{name}",
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(
            permissions.ADMIN,
            permissions.READ_CLIENT_API_TOKEN,
            permissions.READ_FRONTEND_API_TOKEN,
        ),
        answer=Answer(200, schemas.API_TOKENS),
    ),
)
def get_api_tokens_by_name(call: Call[None]) -> Response:
    call.require()
    with call.read() as conn:
        tokens = service.list_by_name(
            conn, name=call.path_str("name"), types=_readable_types(call.principal)
        )
    return http.json({"tokens": tokens})


PROJECT_TAG = "Projects"
PROJECT_TOKENS = "/api/admin/projects/{projectId}/api-tokens"
PROJECT_TOKEN = PROJECT_TOKENS + "/{token}"


def _every_token(principal: Principal) -> bool:
    # Unleash's `user.isAPI && user.permissions.includes(ADMIN)`: an admin API token.
    return principal.kind == "admin"


@route(
    router,
    Operation(
        operation_id="getProjectApiTokens",
        method="GET",
        path=PROJECT_TOKENS,
        tag=PROJECT_TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.READ_PROJECT_API_TOKEN,),
        answer=Answer(200, schemas.API_TOKENS),
    ),
)
def get_project_api_tokens(call: Call[None]) -> Response:
    project = call.path_str("projectId")
    call.require(project=project)
    with call.read() as conn:
        tokens = service.list_of_project(conn, project=project, every=_every_token(call.principal))
    return http.json({"tokens": tokens})


@route(
    router,
    Operation(
        operation_id="createProjectApiToken",
        method="POST",
        path=PROJECT_TOKENS,
        tag=PROJECT_TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.CREATE_PROJECT_API_TOKEN,),
        body=schemas.CREATE_PROJECT_API_TOKEN,
        answer=Answer(
            201,
            schemas.API_TOKEN,
            links={
                "DeleteProjectApiToken": link(
                    "deleteProjectApiToken",
                    projectId="$request.path.projectId",
                    token=_NEW_TOKEN_SECRET,
                ),
            },
        ),
    ),
)
def create_project_api_token(call: Call[CreateProjectApiToken]) -> Response:
    project = call.path_str("projectId")
    call.require(project=project)
    data = call.body
    with call.write() as conn:
        created = service.create_for_project(conn, project=project, body=data, actor=call.actor)
    return http.json(created, status_code=201, headers={"Location": "api-tokens"})


@route(
    router,
    Operation(
        operation_id="deleteProjectApiToken",
        method="DELETE",
        path=PROJECT_TOKEN,
        tag=PROJECT_TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.DELETE_PROJECT_API_TOKEN,),
        answer=Answer(200),
        # res.status(404).end() / res.status(400).end() in Unleash.
        bare={400: None, 404: None},
    ),
)
def delete_project_api_token(call: Call[None]) -> Response:
    project = call.path_str("projectId")
    call.require(project=project)
    with call.write() as conn:
        service.delete_of_project(
            conn,
            project=project,
            secret=call.path_str("token"),
            every=_every_token(call.principal),
            actor=call.actor,
        )
    return http.empty(200)
