"""HTTP for archiving, reviving and deleting flags, and marking them stale, one or many:
Unleash's project archive and archive controllers, and the project's stale route.

The bulk routes check the permission on the path's project; the service refuses any named flag
that is in another project, so the permission that counts is the stored flags' project's.
The single routes name no project: the permission is checked on the stored flag's project.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from leash import http, permissions
from leash.api.call import Call
from leash.api.operation import Answer, Auth, Operation
from leash.api.route import route
from leash.archive import schemas, service
from leash.archive.schemas import BatchFeatures, BatchStale
from leash.features import repository as features

router = APIRouter()

PROJECT = "/api/admin/projects/{projectId}"


@route(
    router,
    Operation(
        operation_id="archiveFeatures",
        method="POST",
        path=PROJECT + "/archive",
        tag="Features",
        auth=Auth.ADMIN,
        permissions=(permissions.DELETE_FEATURE,),
        body=schemas.BATCH_FEATURES,
        answer=Answer(202),
    ),
)
def archive_features(call: Call[BatchFeatures]) -> Response:
    project = call.path_str("projectId")
    call.require(project=project)
    names = call.body["features"]
    with call.write() as conn:
        service.archive_many(conn, names=names, project=project, actor=call.actor)
    return http.empty(202)


@route(
    router,
    Operation(
        operation_id="validateArchiveFeatures",
        method="POST",
        path=PROJECT + "/archive/validate",
        tag="Features",
        auth=Auth.ADMIN,
        permissions=(permissions.DELETE_FEATURE,),
        body=schemas.BATCH_FEATURES,
        answer=Answer(200, schemas.VALIDATE_ARCHIVE_FEATURES),
    ),
)
def validate_archive_features(call: Call[BatchFeatures]) -> Response:
    call.require(project=call.path_str("projectId"))
    names = call.body["features"]
    with call.read() as conn:
        return http.json(service.validate_archive(conn, names=names))


@route(
    router,
    Operation(
        operation_id="reviveFeatures",
        method="POST",
        path=PROJECT + "/revive",
        tag="Archive",
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_FEATURE,),
        body=schemas.BATCH_FEATURES,
        answer=Answer(200),
    ),
)
def revive_features(call: Call[BatchFeatures]) -> Response:
    project = call.path_str("projectId")
    call.require(project=project)
    names = call.body["features"]
    with call.write() as conn:
        service.revive_many(conn, names=names, project=project, actor=call.actor)
    return http.empty(200)


@route(
    router,
    Operation(
        operation_id="deleteFeatures",
        method="POST",
        path=PROJECT + "/delete",
        tag="Archive",
        auth=Auth.ADMIN,
        permissions=(permissions.DELETE_FEATURE,),
        body=schemas.BATCH_FEATURES,
        answer=Answer(200),
    ),
)
def delete_features(call: Call[BatchFeatures]) -> Response:
    project = call.path_str("projectId")
    call.require(project=project)
    names = call.body["features"]
    with call.write() as conn:
        service.delete_many(conn, names=names, project=project, actor=call.actor)
    return http.empty(200)


@route(
    router,
    Operation(
        operation_id="reviveFeature",
        method="POST",
        path="/api/admin/archive/revive/{featureName}",
        tag="Archive",
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_FEATURE,),
        answer=Answer(200),
    ),
)
def revive_feature(call: Call[None]) -> Response:
    name = call.path_str("featureName")
    with call.write() as conn:
        row = features.get_flag(conn, name=name)
        call.require(project=None if row is None else row.project)
        service.revive_one(conn, name=name, actor=call.actor)
    return http.empty(200)


@route(
    router,
    Operation(
        operation_id="deleteFeature",
        method="DELETE",
        path="/api/admin/archive/{featureName}",
        tag="Archive",
        auth=Auth.ADMIN,
        permissions=(permissions.DELETE_FEATURE,),
        answer=Answer(200),
    ),
)
def delete_feature(call: Call[None]) -> Response:
    name = call.path_str("featureName")
    with call.write() as conn:
        row = features.get_flag(conn, name=name)
        call.require(project=None if row is None else row.project)
        # A flag that does not exist is deleted already (200, as Unleash).
        if row is not None:
            service.delete_many(conn, names=[name], project=row.project, actor=call.actor)
    return http.empty(200)


@route(
    router,
    Operation(
        operation_id="staleFeatures",
        method="POST",
        path=PROJECT + "/stale",
        tag="Features",
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_FEATURE,),
        body=schemas.BATCH_STALE,
        answer=Answer(202),
    ),
)
def stale_features(call: Call[BatchStale]) -> Response:
    project = call.path_str("projectId")
    call.require(project=project)
    data = call.body
    with call.write() as conn:
        service.set_stale(
            conn, names=data["features"], stale=data["stale"], project=project, actor=call.actor
        )
    return http.empty(202)
