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
from leash.errors import BadDataError
from leash.features import (
    checks,
    environments,
    flags,
    patch,
    schemas,
    strategies,
    strategy_edits,
    variants,
)
from leash.features.schemas import (
    BulkToggleFeatures,
    CreateFeature,
    CreateFeatureStrategy,
    PatchOperation,
    PushVariants,
    StrategySortOrder,
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
VARIANTS = ENVIRONMENT + "/variants"
BULK = "/api/admin/projects/{projectId}/bulk_features/environments/{environment}"

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
        return http.json(
            flags.list_flags(
                conn, project=call.path_str("projectId"), user_id=call.principal.user_id
            )
        )


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
        query={"variantEnvironments": {"type": "string"}},
        answer=Answer(200, schemas.FLAG_WITH_ENVIRONMENTS),
    ),
)
def get_feature(call: Call[None]) -> Response:
    project, name = call.path_str("projectId"), call.path_str("featureName")
    with_variants = call.query("variantEnvironments") == "true"
    with call.read() as conn:
        found = flags.get_flag(
            conn,
            project=project,
            name=name,
            user_id=call.principal.user_id,
            environment_variants=with_variants,
        )
    return http.json(found)


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


@route(
    router,
    Operation(
        operation_id="patchFeatureStrategy",
        method="PATCH",
        path=STRATEGY,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_FEATURE_STRATEGY,),
        body=schemas.PATCHES,
        answer=Answer(200, schemas.STRATEGY),
    ),
)
def patch_feature_strategy(call: Call[list[PatchOperation]]) -> Response:
    project = call.path_str("projectId")
    call.require(project=project)
    operations = call.body
    with call.write() as conn:
        strategy = strategy_edits.patch_strategy(
            conn,
            project=project,
            name=call.path_str("featureName"),
            environment=call.path_str("environment"),
            strategy_id=call.path_str("strategyId"),
            operations=operations,
            actor=call.actor,
            limits=_limits(call.settings),
        )
    return http.json(strategy)


@route(
    router,
    Operation(
        operation_id="setStrategySortOrder",
        method="POST",
        path=STRATEGIES + "/set-sort-order",
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_FEATURE_STRATEGY,),
        body=schemas.SET_STRATEGY_SORT_ORDER,
        answer=Answer(200),
    ),
)
def set_strategy_sort_order(call: Call[list[StrategySortOrder]]) -> Response:
    project = call.path_str("projectId")
    call.require(project=project)
    orders = call.body
    with call.write() as conn:
        strategy_edits.set_sort_order(
            conn,
            project=project,
            name=call.path_str("featureName"),
            environment=call.path_str("environment"),
            orders=orders,
            actor=call.actor,
        )
    return http.empty(200)


@route(
    router,
    Operation(
        operation_id="getFeatureEnvironment",
        method="GET",
        path=ENVIRONMENT,
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.FEATURE_ENVIRONMENT),
    ),
)
def get_feature_environment(call: Call[None]) -> Response:
    with call.read() as conn:
        found = environments.feature_environment(
            conn,
            project=call.path_str("projectId"),
            name=call.path_str("featureName"),
            environment=call.path_str("environment"),
        )
    return http.json(found)


def _bulk_toggle(call: Call[BulkToggleFeatures], *, on: bool) -> Response:
    project = call.path_str("projectId")
    call.require(project=project)
    names = call.body["features"]
    with call.write() as conn:
        environments.set_enabled_many(
            conn,
            project=project,
            names=names,
            environment=call.path_str("environment"),
            enabled=on,
            actor=call.actor,
            limits=_limits(call.settings),
        )
    return http.empty(200)


@route(
    router,
    Operation(
        operation_id="bulkToggleFeaturesEnvironmentOn",
        method="POST",
        path=BULK + "/on",
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_FEATURE_ENVIRONMENT,),
        body=schemas.BULK_TOGGLE_FEATURES,
        answer=Answer(200),
    ),
)
def bulk_toggle_on(call: Call[BulkToggleFeatures]) -> Response:
    return _bulk_toggle(call, on=True)


@route(
    router,
    Operation(
        operation_id="bulkToggleFeaturesEnvironmentOff",
        method="POST",
        path=BULK + "/off",
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_FEATURE_ENVIRONMENT,),
        body=schemas.BULK_TOGGLE_FEATURES,
        answer=Answer(200),
    ),
)
def bulk_toggle_off(call: Call[BulkToggleFeatures]) -> Response:
    return _bulk_toggle(call, on=False)


def _variants_answer(found: list[dict[str, object]]) -> Response:
    return http.json({"version": 1, "variants": found})


@route(
    router,
    Operation(
        operation_id="getEnvironmentFeatureVariants",
        method="GET",
        path=VARIANTS,
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.FEATURE_VARIANTS),
    ),
)
def get_environment_variants(call: Call[None]) -> Response:
    with call.read() as conn:
        found = variants.get_variants(
            conn,
            project=call.path_str("projectId"),
            name=call.path_str("featureName"),
            environment=call.path_str("environment"),
        )
    return _variants_answer(found)


@route(
    router,
    Operation(
        operation_id="patchEnvironmentsFeatureVariants",
        method="PATCH",
        path=VARIANTS,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_FEATURE_ENVIRONMENT_VARIANTS,),
        body=schemas.PATCHES,
        answer=Answer(200, schemas.FEATURE_VARIANTS),
    ),
)
def patch_environment_variants(call: Call[list[PatchOperation]]) -> Response:
    project = call.path_str("projectId")
    call.require(project=project)
    operations = call.body
    with call.write() as conn:
        found = variants.patch_variants(
            conn,
            project=project,
            name=call.path_str("featureName"),
            environment=call.path_str("environment"),
            operations=operations,
            actor=call.actor,
        )
    return _variants_answer(found)


@route(
    router,
    Operation(
        operation_id="overwriteEnvironmentFeatureVariants",
        method="PUT",
        path=VARIANTS,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_FEATURE_ENVIRONMENT_VARIANTS,),
        body=schemas.VARIANTS,
        answer=Answer(200, schemas.FEATURE_VARIANTS),
    ),
)
def overwrite_environment_variants(call: Call[list[dict[str, object]]]) -> Response:
    project = call.path_str("projectId")
    call.require(project=project)
    sent = call.body
    with call.write() as conn:
        found = variants.overwrite_variants(
            conn,
            project=project,
            name=call.path_str("featureName"),
            environment=call.path_str("environment"),
            variants=sent,
            actor=call.actor,
        )
    return _variants_answer(found)


@route(
    router,
    Operation(
        operation_id="overwriteFeatureVariantsOnEnvironments",
        method="PUT",
        path=FEATURE + "/variants-batch",
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_FEATURE_ENVIRONMENT_VARIANTS,),
        body=schemas.PUSH_VARIANTS,
        answer=Answer(200, schemas.FEATURE_VARIANTS),
    ),
)
def overwrite_variants_on_environments(call: Call[PushVariants]) -> Response:
    project = call.path_str("projectId")
    data = call.body
    targets = data.get("environments") or []
    if not targets:
        raise BadDataError.single("No environments provided")
    # Unleash checks the permission in each environment named; leash's grants are per project.
    call.require(project=project)
    with call.write() as conn:
        found = variants.push_variants(
            conn,
            project=project,
            name=call.path_str("featureName"),
            environments=targets,
            variants=variants.with_defaults(list(data.get("variants") or [])),
            actor=call.actor,
        )
    return _variants_answer(found)
