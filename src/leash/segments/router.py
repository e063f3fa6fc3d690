"""HTTP for /api/admin/segments: the nine endpoints of Unleash's segment controller."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import Engine

from leash import http, permissions
from leash.auth import Principal, require_admin
from leash.http import RawBody, raw_body
from leash.segments import schemas, service
from leash.validation import parse_int_param

router = APIRouter(prefix="/api/admin/segments", tags=["Segments"])


def _db(request: Request) -> Engine:
    engine: Engine = request.app.state.db
    return engine


def _limits(request: Request) -> service.Limits:
    settings = request.app.state.settings
    return service.Limits(
        segment_values=settings.segment_values_limit,
        strategy_segments=settings.strategy_segments_limit,
        segments=settings.segments_limit,
    )


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


@router.post(
    "/validate",
    operation_id="validateSegment",
    status_code=204,
    openapi_extra=_body(schemas.NAME),
)
def validate_segment(
    request: Request,
    principal: Principal = Depends(require_admin),
    body: RawBody = Depends(raw_body),
) -> Response:
    data = http.parse_json(body, schemas.NAME)
    with _db(request).connect() as conn:
        service.validate_name(conn, name=data["name"])
    return http.empty(204)


@router.get("/strategies/{strategyId}", operation_id="getSegmentsByStrategyId")
def get_segments_by_strategy_id(
    request: Request, strategyId: str, principal: Principal = Depends(require_admin)
) -> Response:
    with _db(request).connect() as conn:
        return http.json(service.segments_of_strategy(conn, strategy_id=strategyId))


@router.post(
    "/strategies",
    operation_id="updateFeatureStrategySegments",
    status_code=201,
    openapi_extra=_body(schemas.UPDATE_FEATURE_STRATEGY_SEGMENTS),
)
def update_feature_strategy_segments(
    request: Request,
    principal: Principal = Depends(require_admin),
    body: RawBody = Depends(raw_body),
) -> Response:
    data = http.parse_json(body, schemas.UPDATE_FEATURE_STRATEGY_SEGMENTS)
    # Unleash's check, on the project the body names: kept, so a caller without it learns
    # nothing about the strategy.
    if not permissions.has_any(
        principal, (permissions.UPDATE_FEATURE_STRATEGY,), project=data["projectId"]
    ):
        return http.empty(403)
    with _db(request).begin() as conn:
        strategy = service.strategy_to_relink(conn, strategy_id=data["strategyId"])
        # The body's projectId and environmentId are only claims: the permission that counts
        # is the one on the stored strategy's project (leash grants strategy permissions for
        # every environment of a project, see leash.permissions).
        if not permissions.has_any(
            principal, (permissions.UPDATE_FEATURE_STRATEGY,), project=strategy.project_name
        ):
            return http.empty(403)
        service.set_strategy_segments(
            conn,
            strategy=strategy,
            segment_ids=data["segmentIds"],
            actor=principal.actor,
            limits=_limits(request),
        )
    request.app.state.changed()
    return http.json(
        data, status_code=201, headers={"Location": f"strategies/{data['strategyId']}"}
    )


@router.get("/{id}/strategies", operation_id="getStrategiesBySegmentId")
def get_strategies_by_segment_id(
    request: Request, id: str, principal: Principal = Depends(require_admin)
) -> Response:
    segment_id = parse_int_param(id, name="id")
    with _db(request).connect() as conn:
        return http.json(service.strategies_of_segment(conn, segment_id=segment_id))


@router.delete("/{id}", operation_id="removeSegment", status_code=204)
def remove_segment(
    request: Request, id: str, principal: Principal = Depends(require_admin)
) -> Response:
    segment_id = parse_int_param(id, name="id")
    with _db(request).begin() as conn:
        stored = service.get(conn, segment_id=segment_id, lock="update")
        permissions.require_any(
            principal,
            permissions.DELETE_SEGMENT,
            permissions.UPDATE_PROJECT_SEGMENT,
            project=stored.get("project"),
        )
        service.delete(conn, segment_id=segment_id, actor=principal.actor)
    request.app.state.changed()
    return http.empty(204)


@router.put(
    "/{id}",
    operation_id="updateSegment",
    status_code=204,
    openapi_extra=_body(schemas.UPSERT_SEGMENT),
)
def update_segment(
    request: Request,
    id: str,
    principal: Principal = Depends(require_admin),
    body: RawBody = Depends(raw_body),
) -> Response:
    with _db(request).begin() as conn:
        if principal.kind != "admin":
            # The project comes from the stored segment, never from the body; locked, so the
            # project checked is still the segment's when the update is written.
            stored = service.get(conn, segment_id=parse_int_param(id, name="id"), lock="update")
            permissions.require_any(
                principal,
                permissions.UPDATE_SEGMENT,
                permissions.UPDATE_PROJECT_SEGMENT,
                project=stored.get("project"),
            )
        http.require_json(body)
        segment_id = parse_int_param(id, name="id")
        data = http.parse_json(body, schemas.UPSERT_SEGMENT, check_type=False)
        if principal.kind != "admin":
            target = data.get("project") or None
            if target != stored.get("project"):
                # Moving a segment needs the right to change segments where it goes too, the
                # rule creating one there follows: a global one needs the root permission.
                permissions.require_any(
                    principal,
                    permissions.UPDATE_SEGMENT,
                    permissions.UPDATE_PROJECT_SEGMENT,
                    project=target,
                )
        service.update(
            conn, segment_id=segment_id, body=data, actor=principal.actor, limits=_limits(request)
        )
    request.app.state.changed()
    return http.empty(204)


@router.get("/{id}", operation_id="getSegment")
def get_segment(
    request: Request, id: str, principal: Principal = Depends(require_admin)
) -> Response:
    segment_id = parse_int_param(id, name="id")
    with _db(request).connect() as conn:
        return http.json(service.get(conn, segment_id=segment_id))


@router.post(
    "", operation_id="createSegment", status_code=201, openapi_extra=_body(schemas.UPSERT_SEGMENT)
)
def create_segment(
    request: Request,
    principal: Principal = Depends(require_admin),
    body: RawBody = Depends(raw_body),
) -> Response:
    data = http.parse_json(body, schemas.UPSERT_SEGMENT)
    permissions.require_any(
        principal,
        permissions.CREATE_SEGMENT,
        permissions.UPDATE_PROJECT_SEGMENT,
        project=data.get("project") or None,
    )
    with _db(request).begin() as conn:
        segment = service.create(conn, body=data, actor=principal.actor, limits=_limits(request))
    request.app.state.changed()
    return http.json(segment, status_code=201, headers={"Location": f"segments/{segment['id']}"})


@router.get("", operation_id="getSegments")
def get_segments(request: Request, principal: Principal = Depends(require_admin)) -> Response:
    with _db(request).connect() as conn:
        return http.json(service.list_all(conn))
