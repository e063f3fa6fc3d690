"""HTTP for favorites (Unleash's favorites controller): no permission needed, the caller's own.

The feature routes name a project, as Unleash's do, and like Unleash leash does not check that
the flag is in it: a favorite belongs to the user, not to the project."""

from __future__ import annotations

from fastapi import APIRouter, Response

from leash import http
from leash.api.call import Call
from leash.api.operation import Answer, Auth, Operation
from leash.api.route import route
from leash.favorites import service

router = APIRouter()

FEATURE = "/api/admin/projects/{projectId}/features/{featureName}/favorites"
PROJECT = "/api/admin/projects/{projectId}/favorites"


def _operation(operation_id: str, method: str, path: str) -> Operation:
    return Operation(
        operation_id=operation_id,
        method=method,
        path=path,
        tag="Features",
        auth=Auth.ADMIN,
        answer=Answer(200),
    )


@route(router, _operation("addFavoriteFeature", "POST", FEATURE))
def add_favorite_feature(call: Call[None]) -> Response:
    call.require_json()
    with call.write(refresh=False) as conn:
        service.favorite_feature(conn, feature=call.path_str("featureName"), actor=call.actor)
    return http.empty(200)


@route(router, _operation("removeFavoriteFeature", "DELETE", FEATURE))
def remove_favorite_feature(call: Call[None]) -> Response:
    call.require_json()
    with call.write(refresh=False) as conn:
        service.unfavorite_feature(conn, feature=call.path_str("featureName"), actor=call.actor)
    return http.empty(200)


@route(router, _operation("addFavoriteProject", "POST", PROJECT))
def add_favorite_project(call: Call[None]) -> Response:
    call.require_json()
    with call.write(refresh=False) as conn:
        service.favorite_project(conn, project=call.path_str("projectId"), actor=call.actor)
    return http.empty(200)


@route(router, _operation("removeFavoriteProject", "DELETE", PROJECT))
def remove_favorite_project(call: Call[None]) -> Response:
    call.require_json()
    with call.write(refresh=False) as conn:
        service.unfavorite_project(conn, project=call.path_str("projectId"), actor=call.actor)
    return http.empty(200)
