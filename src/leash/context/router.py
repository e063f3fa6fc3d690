"""HTTP for POST /api/admin/constraints/validate (one constraint checked as a strategy's would
be; the admin UI calls it per constraint so an error shows beside the constraint that caused
it) and for Unleash's context API, at the root and under a project."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from leash import http, permissions
from leash.api.call import Call
from leash.api.openapi import link
from leash.api.operation import Answer, Auth, Operation
from leash.api.route import route
from leash.context import repository, schemas, service
from leash.context.schemas import (
    Constraint,
    CreateContextField,
    LegalValue,
    Name,
    UpdateContextField,
)
from leash.errors import NotFoundError
from leash.validation import validate

router = APIRouter()


@route(
    router,
    Operation(
        operation_id="validateConstraint",
        method="POST",
        path="/api/admin/constraints/validate",
        tag="Features",
        auth=Auth.ADMIN,
        body=schemas.CONSTRAINT,
        answer=Answer(204),
    ),
)
def validate_constraint(call: Call[Constraint]) -> Response:
    constraint = call.body
    service.check_shape(constraint)
    with call.read() as conn:
        service.check_values(conn, constraint=constraint)
    return http.empty(204)


# -- context fields: /api/admin/context and /api/admin/projects/{projectId}/context ---------
#
# Unleash mounts one controller twice: at the root, and under a project, whose operationIds
# end in "ForProject". Under a project, the path's project is the one permissions are checked
# on, and the fields written must belong to it; reading one field or its strategies ignores
# the project, as Unleash's do.

TAG = "Context"
ROOT = "/api/admin/context"
IN_PROJECT = "/api/admin/projects/{projectId}/context"


def _project(call: Call[Any]) -> str | None:
    return call.path_str("projectId") if "projectId" in call.request.path_params else None


def _include(call: Call[Any]) -> str | None:
    sent = call.query_all("include")
    if len(sent) > 1:
        # ajv's answer for a repeated parameter that its schema says is one string.
        validate(sent, {"type": "string"}, root="/query/include")
    return sent[0] if sent else None


def _declare(prefix: str, suffix: str) -> None:
    project_mode = suffix != ""

    def operation_id(name: str) -> str:
        return name + suffix

    def links_to_new_field() -> dict[str, Any]:
        parameters = {"contextField": "$response.body#/name"}
        if project_mode:
            parameters["projectId"] = "$request.path.projectId"
        return {
            name: link(operation_id(name[0].lower() + name[1:]), **parameters)
            for name in (
                "GetContextField",
                "UpdateContextField",
                "GetStrategiesByContextField",
                "UpdateContextFieldLegalValue",
                "DeleteContextField",
            )
        }

    def permissions_for(root_permission: str) -> tuple[str, ...]:
        if project_mode:
            return (root_permission, permissions.UPDATE_PROJECT_CONTEXT)
        return (root_permission,)

    @route(
        router,
        Operation(
            operation_id=operation_id("getContextFields"),
            method="GET",
            path=prefix,
            tag=TAG,
            auth=Auth.ADMIN,
            query=schemas.INCLUDE_QUERY,
            answer=Answer(200, schemas.CONTEXT_FIELDS),
        ),
    )
    def get_context_fields(call: Call[None]) -> Response:
        include = _include(call)
        with call.read() as conn:
            found = service.list_fields(conn, project=_project(call), include=include)
        return http.json(found)

    @route(
        router,
        Operation(
            operation_id=operation_id("createContextField"),
            method="POST",
            path=prefix,
            tag=TAG,
            auth=Auth.ADMIN,
            permissions=permissions_for(permissions.CREATE_CONTEXT_FIELD),
            body=schemas.CREATE_CONTEXT_FIELD,
            answer=Answer(201, schemas.CONTEXT_FIELD, links=links_to_new_field()),
        ),
    )
    def create_context_field(call: Call[CreateContextField]) -> Response:
        project = _project(call)
        call.require(project=project)
        body = call.body
        if project is not None:
            body = {**body, "project": project}
        with call.write(refresh=False) as conn:
            created = service.create_field(conn, body=body, actor=call.actor)
        return http.json(
            created, status_code=201, headers={"Location": f"context/{created['name']}"}
        )

    @route(
        router,
        Operation(
            operation_id=operation_id("validateContextFieldName"),
            method="POST",
            path=prefix + "/validate",
            tag=TAG,
            auth=Auth.ADMIN,
            permissions=permissions_for(permissions.UPDATE_CONTEXT_FIELD),
            body=schemas.NAME,
            answer=Answer(200),
        ),
    )
    def validate_context_field_name(call: Call[Name]) -> Response:
        call.require(project=_project(call))
        name = call.body["name"]
        with call.read() as conn:
            service.validate_name(conn, name=name)
        return http.empty(200)

    @route(
        router,
        Operation(
            operation_id=operation_id("getContextField"),
            method="GET",
            path=prefix + "/{contextField}",
            tag=TAG,
            auth=Auth.ADMIN,
            answer=Answer(200, schemas.CONTEXT_FIELD),
        ),
    )
    def get_context_field(call: Call[None]) -> Response:
        with call.read() as conn:
            found = repository.get(conn, name=call.path_str("contextField"))
        if found is None:
            # Unleash's controller words this 404 unlike its service.
            raise NotFoundError("Could not find context field")
        return http.json(found)

    @route(
        router,
        Operation(
            operation_id=operation_id("updateContextField"),
            method="PUT",
            path=prefix + "/{contextField}",
            tag=TAG,
            auth=Auth.ADMIN,
            permissions=permissions_for(permissions.UPDATE_CONTEXT_FIELD),
            body=schemas.UPDATE_CONTEXT_FIELD,
            answer=Answer(200),
        ),
    )
    def update_context_field(call: Call[UpdateContextField]) -> Response:
        project = _project(call)
        call.require(project=project)
        body = call.body
        target = body.get("project") or None
        if project is not None and target is not None and target != project:
            # Moving a field out of the project needs the right to change fields where it
            # goes too (Unleash checks only the project it leaves).
            call.require(project=target)
        with call.write(refresh=False) as conn:
            service.update_field(
                conn,
                name=call.path_str("contextField"),
                body=body,
                project=project,
                actor=call.actor,
            )
        return http.empty(200)

    @route(
        router,
        Operation(
            operation_id=operation_id("deleteContextField"),
            method="DELETE",
            path=prefix + "/{contextField}",
            tag=TAG,
            auth=Auth.ADMIN,
            permissions=permissions_for(permissions.DELETE_CONTEXT_FIELD),
            answer=Answer(200),
        ),
    )
    def delete_context_field(call: Call[None]) -> Response:
        project = _project(call)
        call.require(project=project)
        with call.write(refresh=False) as conn:
            service.delete_field(
                conn, name=call.path_str("contextField"), project=project, actor=call.actor
            )
        return http.empty(200)

    @route(
        router,
        Operation(
            operation_id=operation_id("getStrategiesByContextField"),
            method="GET",
            path=prefix + "/{contextField}/strategies",
            tag="Strategies",
            auth=Auth.ADMIN,
            answer=Answer(200, schemas.CONTEXT_FIELD_STRATEGIES),
        ),
    )
    def get_strategies_by_context_field(call: Call[None]) -> Response:
        with call.read() as conn:
            found = service.strategies_using(conn, name=call.path_str("contextField"))
        return http.json(found)

    @route(
        router,
        Operation(
            operation_id=operation_id("updateContextFieldLegalValue"),
            method="POST",
            path=prefix + "/{contextField}/legal-values",
            tag=TAG,
            auth=Auth.ADMIN,
            permissions=permissions_for(permissions.UPDATE_CONTEXT_FIELD),
            body=schemas.LEGAL_VALUE,
            answer=Answer(200),
        ),
    )
    def update_context_field_legal_value(call: Call[LegalValue]) -> Response:
        project = _project(call)
        call.require(project=project)
        legal_value = call.body
        with call.write(refresh=False) as conn:
            service.put_legal_value(
                conn,
                name=call.path_str("contextField"),
                legal_value=legal_value,
                project=project,
                actor=call.actor,
            )
        return http.empty(200)

    @route(
        router,
        Operation(
            operation_id=operation_id("deleteContextFieldLegalValue"),
            method="DELETE",
            path=prefix + "/{contextField}/legal-values/{legalValue:path}",
            tag=TAG,
            auth=Auth.ADMIN,
            permissions=permissions_for(permissions.UPDATE_CONTEXT_FIELD),
            answer=Answer(200),
        ),
    )
    def delete_context_field_legal_value(call: Call[None]) -> Response:
        project = _project(call)
        call.require(project=project)
        with call.write(refresh=False) as conn:
            service.delete_legal_value(
                conn,
                name=call.path_str("contextField"),
                value=call.path_str("legalValue"),
                project=project,
                actor=call.actor,
            )
        return http.empty(200)


_declare(ROOT, "")
_declare(IN_PROJECT, "ForProject")
