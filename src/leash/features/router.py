"""HTTP for flags and their strategies: Unleash's project features controller."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import Engine

from leash import http, permissions
from leash.auth import Principal, require_admin
from leash.features import checks, environments, flags, patch, schemas, strategies
from leash.http import RawBody, raw_body

router = APIRouter(prefix="/api/admin/projects", tags=["Features"])
validate_router = APIRouter(prefix="/api/admin/features", tags=["Features"])

FEATURE = "/{projectId}/features/{featureName}"
ENVIRONMENT = FEATURE + "/environments/{environment}"
STRATEGIES = ENVIRONMENT + "/strategies"
STRATEGY = STRATEGIES + "/{strategyId}"


def _db(request: Request) -> Engine:
    engine: Engine = request.app.state.db
    return engine


def _limits(request: Request) -> strategies.Limits:
    return strategies.Limits(strategy_segments=request.app.state.settings.strategy_segments_limit)


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


@validate_router.post(
    "/validate",
    operation_id="validateFeature",
    status_code=200,
    openapi_extra=_body(schemas.VALIDATE_FEATURE_NAME),
)
def validate_feature(
    request: Request,
    principal: Principal = Depends(require_admin),
    body: RawBody = Depends(raw_body),
) -> Response:
    data = http.parse_json(body, schemas.VALIDATE_FEATURE_NAME)
    with _db(request).connect() as conn:
        checks.validate_name(conn, name=data["name"])
    return http.empty(200)


@router.get("/{projectId}/features", operation_id="getFeatures")
def get_features(
    request: Request, projectId: str, principal: Principal = Depends(require_admin)
) -> Response:
    with _db(request).connect() as conn:
        return http.json(flags.list_flags(conn, project=projectId))


@router.post(
    "/{projectId}/features",
    operation_id="createFeature",
    status_code=201,
    openapi_extra=_body(schemas.CREATE_FEATURE),
)
def create_feature(
    request: Request,
    projectId: str,
    principal: Principal = Depends(require_admin),
    body: RawBody = Depends(raw_body),
) -> Response:
    permissions.require_any(principal, permissions.CREATE_FEATURE, project=projectId)
    data = http.parse_json(body, schemas.CREATE_FEATURE)
    with _db(request).begin() as conn:
        created = flags.create_flag(conn, project=projectId, body=data, actor=principal.actor)
    request.app.state.changed()
    return http.json(created, status_code=201)


@router.get(FEATURE, operation_id="getFeature")
def get_feature(
    request: Request,
    projectId: str,
    featureName: str,
    principal: Principal = Depends(require_admin),
) -> Response:
    with _db(request).connect() as conn:
        return http.json(flags.get_flag(conn, project=projectId, name=featureName))


@router.put(FEATURE, operation_id="updateFeature", openapi_extra=_body(schemas.UPDATE_FEATURE))
def update_feature(
    request: Request,
    projectId: str,
    featureName: str,
    principal: Principal = Depends(require_admin),
    body: RawBody = Depends(raw_body),
) -> Response:
    permissions.require_any(principal, permissions.UPDATE_FEATURE, project=projectId)
    data = http.parse_json(body, schemas.UPDATE_FEATURE)
    with _db(request).begin() as conn:
        updated = flags.update_flag(
            conn, project=projectId, name=featureName, body=data, actor=principal.actor
        )
    request.app.state.changed()
    return http.json(updated)


@router.patch(FEATURE, operation_id="patchFeature", openapi_extra=_body(schemas.PATCHES))
def patch_feature(
    request: Request,
    projectId: str,
    featureName: str,
    principal: Principal = Depends(require_admin),
    body: RawBody = Depends(raw_body),
) -> Response:
    permissions.require_any(principal, permissions.UPDATE_FEATURE, project=projectId)
    operations = http.parse_json(body, schemas.PATCHES)
    with _db(request).begin() as conn:
        updated = patch.patch_flag(
            conn, project=projectId, name=featureName, operations=operations, actor=principal.actor
        )
    request.app.state.changed()
    return http.json(updated)


@router.delete(FEATURE, operation_id="archiveFeature", status_code=202)
def archive_feature(
    request: Request,
    projectId: str,
    featureName: str,
    principal: Principal = Depends(require_admin),
) -> Response:
    permissions.require_any(principal, permissions.DELETE_FEATURE, project=projectId)
    with _db(request).begin() as conn:
        flags.archive_flag(conn, project=projectId, name=featureName, actor=principal.actor)
    request.app.state.changed()
    return http.empty(202)


def _toggle(
    request: Request, *, principal: Principal, project: str, name: str, environment: str, on: bool
) -> Response:
    permissions.require_any(principal, permissions.UPDATE_FEATURE_ENVIRONMENT, project=project)
    with _db(request).begin() as conn:
        environments.set_enabled(
            conn,
            project=project,
            name=name,
            environment=environment,
            enabled=on,
            actor=principal.actor,
            limits=_limits(request),
        )
    request.app.state.changed()
    return http.empty(200)


@router.post(ENVIRONMENT + "/on", operation_id="toggleFeatureEnvironmentOn")
def toggle_on(
    request: Request,
    projectId: str,
    featureName: str,
    environment: str,
    principal: Principal = Depends(require_admin),
) -> Response:
    return _toggle(
        request,
        principal=principal,
        project=projectId,
        name=featureName,
        environment=environment,
        on=True,
    )


@router.post(ENVIRONMENT + "/off", operation_id="toggleFeatureEnvironmentOff")
def toggle_off(
    request: Request,
    projectId: str,
    featureName: str,
    environment: str,
    principal: Principal = Depends(require_admin),
) -> Response:
    return _toggle(
        request,
        principal=principal,
        project=projectId,
        name=featureName,
        environment=environment,
        on=False,
    )


@router.get(STRATEGIES, operation_id="getFeatureStrategies")
def get_feature_strategies(
    request: Request,
    projectId: str,
    featureName: str,
    environment: str,
    principal: Principal = Depends(require_admin),
) -> Response:
    with _db(request).connect() as conn:
        return http.json(
            strategies.list_strategies(
                conn, project=projectId, name=featureName, environment=environment
            )
        )


@router.post(
    STRATEGIES,
    operation_id="addFeatureStrategy",
    openapi_extra=_body(schemas.CREATE_FEATURE_STRATEGY),
)
def add_feature_strategy(
    request: Request,
    projectId: str,
    featureName: str,
    environment: str,
    principal: Principal = Depends(require_admin),
    body: RawBody = Depends(raw_body),
) -> Response:
    permissions.require_any(principal, permissions.CREATE_FEATURE_STRATEGY, project=projectId)
    data = http.parse_json(body, schemas.CREATE_FEATURE_STRATEGY)
    with _db(request).begin() as conn:
        strategy = strategies.create_strategy(
            conn,
            project=projectId,
            name=featureName,
            environment=environment,
            body=data,
            actor=principal.actor,
            limits=_limits(request),
        )
    request.app.state.changed()
    return http.json(strategy)


@router.get(STRATEGY, operation_id="getFeatureStrategy")
def get_feature_strategy(
    request: Request,
    projectId: str,
    featureName: str,
    environment: str,
    strategyId: str,
    principal: Principal = Depends(require_admin),
) -> Response:
    with _db(request).connect() as conn:
        return http.json(
            strategies.get_strategy(
                conn,
                project=projectId,
                name=featureName,
                environment=environment,
                strategy_id=strategyId,
            )
        )


@router.put(
    STRATEGY,
    operation_id="updateFeatureStrategy",
    openapi_extra=_body(schemas.UPDATE_FEATURE_STRATEGY),
)
def update_feature_strategy(
    request: Request,
    projectId: str,
    featureName: str,
    environment: str,
    strategyId: str,
    principal: Principal = Depends(require_admin),
    body: RawBody = Depends(raw_body),
) -> Response:
    permissions.require_any(principal, permissions.UPDATE_FEATURE_STRATEGY, project=projectId)
    data = http.parse_json(body, schemas.UPDATE_FEATURE_STRATEGY)
    with _db(request).begin() as conn:
        strategy = strategies.update_strategy(
            conn,
            project=projectId,
            name=featureName,
            environment=environment,
            strategy_id=strategyId,
            body=data,
            actor=principal.actor,
            limits=_limits(request),
        )
    request.app.state.changed()
    return http.json(strategy)


@router.delete(STRATEGY, operation_id="deleteFeatureStrategy")
def delete_feature_strategy(
    request: Request,
    projectId: str,
    featureName: str,
    environment: str,
    strategyId: str,
    principal: Principal = Depends(require_admin),
) -> Response:
    permissions.require_any(principal, permissions.DELETE_FEATURE_STRATEGY, project=projectId)
    with _db(request).begin() as conn:
        strategies.delete_strategy(
            conn,
            project=projectId,
            name=featureName,
            environment=environment,
            strategy_id=strategyId,
            actor=principal.actor,
        )
    request.app.state.changed()
    # Unleash answers res.json(undefined): a JSON content type with no body.
    return Response(status_code=200, media_type="application/json; charset=utf-8")
