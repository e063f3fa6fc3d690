"""HTTP for flags and their strategies: Unleash's project features controller.

Permissions are checked, as Unleash checks them, on the project the path names; the services
then find the flag (and strategy) only through that project, flag and environment, so the
permission that counts is the one on the stored object's project.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from leash import http, permissions
from leash.api.call import Call
from leash.api.openapi import link
from leash.api.operation import Answer, Auth, Operation
from leash.api.route import route
from leash.config import Settings
from leash.features import checks, environments, flags, patch, schemas, strategies
from leash.features.schemas import (
    CreateFeature,
    CreateFeatureStrategy,
    PatchOperation,
    UpdateFeature,
    UpdateFeatureStrategy,
    ValidateFeatureName,
)

router = APIRouter()

TAG = "Features"
FEATURES = "/api/admin/projects/{projectId}/features"
FEATURE = FEATURES + "/{featureName}"
ENVIRONMENT = FEATURE + "/environments/{environment}"
STRATEGIES = ENVIRONMENT + "/strategies"
STRATEGY = STRATEGIES + "/{strategyId}"

# Links the stateful fuzz test follows: from a new flag, and from a new strategy.
_NEW_FLAG = {"projectId": "$request.path.projectId", "featureName": "$response.body#/name"}
_NEW_STRATEGY = {
    "projectId": "$request.path.projectId",
    "featureName": "$request.path.featureName",
    "environment": "$request.path.environment",
    "strategyId": "$response.body#/id",
}


def _limits(settings: Settings) -> strategies.Limits:
    return strategies.Limits(strategy_segments=settings.strategy_segments_limit)


@route(
    router,
    Operation(
        operation_id="validateFeature",
        method="POST",
        path="/api/admin/features/validate",
        tag=TAG,
        auth=Auth.ADMIN,
        body=schemas.VALIDATE_FEATURE_NAME,
        answer=Answer(200),
    ),
)
def validate_feature(call: Call[ValidateFeatureName]) -> Response:
    name = call.body["name"]
    with call.read() as conn:
        checks.validate_name(conn, name=name)
    return http.empty(200)


@route(
    router,
    Operation(
        operation_id="getFeatures",
        method="GET",
        path=FEATURES,
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.FLAGS),
    ),
)
def get_features(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(flags.list_flags(conn, project=call.path_str("projectId")))


@route(
    router,
    Operation(
        operation_id="createFeature",
        method="POST",
        path=FEATURES,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.CREATE_FEATURE,),
        body=schemas.CREATE_FEATURE,
        documented_body=schemas.DOCUMENTED_CREATE_FEATURE,
        answer=Answer(
            201,
            schemas.FLAG,
            links={
                "GetFeature": link("getFeature", **_NEW_FLAG),
                "UpdateFeature": link("updateFeature", **_NEW_FLAG),
                "PatchFeature": link("patchFeature", **_NEW_FLAG),
                "AddFeatureStrategy": link("addFeatureStrategy", **_NEW_FLAG),
                "ToggleFeatureEnvironmentOn": link("toggleFeatureEnvironmentOn", **_NEW_FLAG),
                "ArchiveFeature": link("archiveFeature", **_NEW_FLAG),
            },
        ),
    ),
)
def create_feature(call: Call[CreateFeature]) -> Response:
    project = call.path_str("projectId")
    call.require(project=project)
    data = call.body
    with call.write() as conn:
        created = flags.create_flag(conn, project=project, body=data, actor=call.actor)
    return http.json(created, status_code=201)


@route(
    router,
    Operation(
        operation_id="getFeature",
        method="GET",
        path=FEATURE,
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.FLAG_WITH_ENVIRONMENTS),
    ),
)
def get_feature(call: Call[None]) -> Response:
    project, name = call.path_str("projectId"), call.path_str("featureName")
    with call.read() as conn:
        return http.json(flags.get_flag(conn, project=project, name=name))


@route(
    router,
    Operation(
        operation_id="updateFeature",
        method="PUT",
        path=FEATURE,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_FEATURE,),
        body=schemas.UPDATE_FEATURE,
        answer=Answer(200, schemas.FLAG),
    ),
)
def update_feature(call: Call[UpdateFeature]) -> Response:
    project, name = call.path_str("projectId"), call.path_str("featureName")
    call.require(project=project)
    data = call.body
    with call.write() as conn:
        updated = flags.update_flag(conn, project=project, name=name, body=data, actor=call.actor)
    return http.json(updated)


@route(
    router,
    Operation(
        operation_id="patchFeature",
        method="PATCH",
        path=FEATURE,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_FEATURE,),
        body=schemas.PATCHES,
        answer=Answer(200, schemas.FLAG),
    ),
)
def patch_feature(call: Call[list[PatchOperation]]) -> Response:
    project, name = call.path_str("projectId"), call.path_str("featureName")
    call.require(project=project)
    operations = call.body
    with call.write() as conn:
        updated = patch.patch_flag(
            conn, project=project, name=name, operations=operations, actor=call.actor
        )
    return http.json(updated)


@route(
    router,
    Operation(
        operation_id="archiveFeature",
        method="DELETE",
        path=FEATURE,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.DELETE_FEATURE,),
        answer=Answer(202),
    ),
)
def archive_feature(call: Call[None]) -> Response:
    project, name = call.path_str("projectId"), call.path_str("featureName")
    call.require(project=project)
    with call.write() as conn:
        flags.archive_flag(conn, project=project, name=name, actor=call.actor)
    return http.empty(202)


def _toggle(call: Call[None], *, on: bool) -> Response:
    project = call.path_str("projectId")
    call.require(project=project)
    with call.write() as conn:
        environments.set_enabled(
            conn,
            project=project,
            name=call.path_str("featureName"),
            environment=call.path_str("environment"),
            enabled=on,
            actor=call.actor,
            limits=_limits(call.settings),
        )
    return http.empty(200)


@route(
    router,
    Operation(
        operation_id="toggleFeatureEnvironmentOn",
        method="POST",
        path=ENVIRONMENT + "/on",
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_FEATURE_ENVIRONMENT,),
        answer=Answer(200),
    ),
)
def toggle_on(call: Call[None]) -> Response:
    return _toggle(call, on=True)


@route(
    router,
    Operation(
        operation_id="toggleFeatureEnvironmentOff",
        method="POST",
        path=ENVIRONMENT + "/off",
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_FEATURE_ENVIRONMENT,),
        answer=Answer(200),
    ),
)
def toggle_off(call: Call[None]) -> Response:
    return _toggle(call, on=False)


@route(
    router,
    Operation(
        operation_id="getFeatureStrategies",
        method="GET",
        path=STRATEGIES,
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.STRATEGIES),
    ),
)
def get_feature_strategies(call: Call[None]) -> Response:
    with call.read() as conn:
        found = strategies.list_strategies(
            conn,
            project=call.path_str("projectId"),
            name=call.path_str("featureName"),
            environment=call.path_str("environment"),
        )
    return http.json(found)


@route(
    router,
    Operation(
        operation_id="addFeatureStrategy",
        method="POST",
        path=STRATEGIES,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.CREATE_FEATURE_STRATEGY,),
        body=schemas.CREATE_FEATURE_STRATEGY,
        answer=Answer(
            200,
            schemas.STRATEGY,
            links={
                "GetFeatureStrategy": link("getFeatureStrategy", **_NEW_STRATEGY),
                "UpdateFeatureStrategy": link("updateFeatureStrategy", **_NEW_STRATEGY),
                "GetSegmentsByStrategyId": link(
                    "getSegmentsByStrategyId", strategyId="$response.body#/id"
                ),
                "DeleteFeatureStrategy": link("deleteFeatureStrategy", **_NEW_STRATEGY),
            },
        ),
    ),
)
def add_feature_strategy(call: Call[CreateFeatureStrategy]) -> Response:
    project = call.path_str("projectId")
    call.require(project=project)
    data = call.body
    with call.write() as conn:
        strategy = strategies.create_strategy(
            conn,
            project=project,
            name=call.path_str("featureName"),
            environment=call.path_str("environment"),
            body=data,
            actor=call.actor,
            limits=_limits(call.settings),
        )
    return http.json(strategy)


@route(
    router,
    Operation(
        operation_id="getFeatureStrategy",
        method="GET",
        path=STRATEGY,
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.STRATEGY),
    ),
)
def get_feature_strategy(call: Call[None]) -> Response:
    with call.read() as conn:
        found = strategies.get_strategy(
            conn,
            project=call.path_str("projectId"),
            name=call.path_str("featureName"),
            environment=call.path_str("environment"),
            strategy_id=call.path_str("strategyId"),
        )
    return http.json(found)


@route(
    router,
    Operation(
        operation_id="updateFeatureStrategy",
        method="PUT",
        path=STRATEGY,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_FEATURE_STRATEGY,),
        body=schemas.UPDATE_FEATURE_STRATEGY,
        answer=Answer(200, schemas.STRATEGY),
    ),
)
def update_feature_strategy(call: Call[UpdateFeatureStrategy]) -> Response:
    project = call.path_str("projectId")
    call.require(project=project)
    data = call.body
    with call.write() as conn:
        strategy = strategies.update_strategy(
            conn,
            project=project,
            name=call.path_str("featureName"),
            environment=call.path_str("environment"),
            strategy_id=call.path_str("strategyId"),
            body=data,
            actor=call.actor,
            limits=_limits(call.settings),
        )
    return http.json(strategy)


@route(
    router,
    Operation(
        operation_id="deleteFeatureStrategy",
        method="DELETE",
        path=STRATEGY,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.DELETE_FEATURE_STRATEGY,),
        # Unleash answers res.json(undefined): a JSON content type and no body.
        answer=Answer(200),
    ),
)
def delete_feature_strategy(call: Call[None]) -> Response:
    project = call.path_str("projectId")
    call.require(project=project)
    with call.write() as conn:
        strategies.delete_strategy(
            conn,
            project=project,
            name=call.path_str("featureName"),
            environment=call.path_str("environment"),
            strategy_id=call.path_str("strategyId"),
            actor=call.actor,
        )
    return Response(status_code=200, media_type="application/json; charset=utf-8")
