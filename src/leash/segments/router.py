"""HTTP for /api/admin/segments: the nine endpoints of Unleash's segment controller."""

from __future__ import annotations

from fastapi import APIRouter, Response

from leash import http, permissions
from leash.api.call import Call
from leash.api.openapi import link
from leash.api.operation import Answer, Auth, Operation
from leash.api.route import route
from leash.config import Settings
from leash.features import strategies
from leash.segments import schemas, service
from leash.segments.schemas import Name, StrategySegments, UpsertSegment
from leash.validation import INT32

router = APIRouter()

TAG = "Segments"
SEGMENTS = "/api/admin/segments"
SEGMENT = SEGMENTS + "/{id}"
SEGMENT_ID = {"id": INT32}
_NEW_SEGMENT_ID = "$response.body#/id"


def _limits(settings: Settings) -> service.Limits:
    return service.Limits(
        segment_values=settings.segment_values_limit,
        strategy_segments=settings.strategy_segments_limit,
        segments=settings.segments_limit,
    )


@route(
    router,
    Operation(
        operation_id="validateSegment",
        method="POST",
        path=SEGMENTS + "/validate",
        tag=TAG,
        auth=Auth.ADMIN,
        body=schemas.NAME,
        answer=Answer(204),
    ),
)
def validate_segment(call: Call[Name]) -> Response:
    name = call.body["name"]
    with call.read() as conn:
        service.validate_name(conn, name=name)
    return http.empty(204)


@route(
    router,
    Operation(
        operation_id="getSegmentsByStrategyId",
        method="GET",
        path=SEGMENTS + "/strategies/{strategyId}",
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.SEGMENTS),
    ),
)
def get_segments_by_strategy_id(call: Call[None]) -> Response:
    with call.read() as conn:
        found = service.segments_of_strategy(conn, strategy_id=call.path_str("strategyId"))
    return http.json(found)


@route(
    router,
    Operation(
        operation_id="updateFeatureStrategySegments",
        method="POST",
        path=SEGMENTS + "/strategies",
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_FEATURE_STRATEGY,),
        body=schemas.UPDATE_FEATURE_STRATEGY_SEGMENTS,
        answer=Answer(201, schemas.STRATEGY_SEGMENTS),
        # Unleash's res.status(403).end() for a missing permission.
        maybe_empty=frozenset({403}),
    ),
)
def update_feature_strategy_segments(call: Call[StrategySegments]) -> Response:
    data = call.body
    # Unleash's check, on the project the body names: kept, so a caller without it learns
    # nothing about the strategy.
    if not call.allows(project=data["projectId"]):
        return http.empty(403)
    with call.write() as conn:
        strategy = strategies.strategy_to_relink(conn, strategy_id=data["strategyId"])
        # The body's projectId and environmentId are only claims: the permission that counts
        # is the one on the stored strategy's project (leash grants strategy permissions for
        # every environment of a project, see leash.permissions).
        if not call.allows(project=strategy.project_name):
            return http.empty(403)
        strategies.relink_segments(
            conn,
            strategy=strategy,
            segment_ids=data["segmentIds"],
            actor=call.actor,
            limits=strategies.Limits(strategy_segments=call.settings.strategy_segments_limit),
        )
    return http.json(
        data, status_code=201, headers={"Location": f"strategies/{data['strategyId']}"}
    )


@route(
    router,
    Operation(
        operation_id="getStrategiesBySegmentId",
        method="GET",
        path=SEGMENT + "/strategies",
        tag=TAG,
        auth=Auth.ADMIN,
        path_params=SEGMENT_ID,
        answer=Answer(200, schemas.SEGMENT_STRATEGIES),
    ),
)
def get_strategies_by_segment_id(call: Call[None]) -> Response:
    segment_id = call.path_int("id")
    with call.read() as conn:
        return http.json(service.strategies_of_segment(conn, segment_id=segment_id))


@route(
    router,
    Operation(
        operation_id="removeSegment",
        method="DELETE",
        path=SEGMENT,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.DELETE_SEGMENT, permissions.UPDATE_PROJECT_SEGMENT),
        path_params=SEGMENT_ID,
        answer=Answer(204),
        # A segment still used by strategies: res.status(409).send() in Unleash.
        bare={409: None},
    ),
)
def remove_segment(call: Call[None]) -> Response:
    segment_id = call.path_int("id")
    with call.write() as conn:
        # Locked: an update racing this delete waits, then finds no segment.
        stored = service.get(conn, segment_id=segment_id, lock="update")
        call.require(project=stored.get("project"))
        service.delete(conn, segment_id=segment_id, actor=call.actor)
    return http.empty(204)


@route(
    router,
    Operation(
        operation_id="updateSegment",
        method="PUT",
        path=SEGMENT,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_SEGMENT, permissions.UPDATE_PROJECT_SEGMENT),
        path_params=SEGMENT_ID,
        body=schemas.UPSERT_SEGMENT,
        answer=Answer(204),
    ),
)
def update_segment(call: Call[UpsertSegment]) -> Response:
    admin = call.principal.kind == "admin"
    with call.write() as conn:
        if not admin:
            # The project comes from the stored segment, never from the body; locked, so the
            # project checked is still the segment's when the update is written.
            stored = service.get(conn, segment_id=call.path_int("id"), lock="update")
            call.require(project=stored.get("project"))
        call.require_json()
        segment_id = call.path_int("id")
        data = call.body
        if not admin:
            target = data.get("project") or None
            if target != stored.get("project"):
                # Moving a segment needs the right to change segments where it goes too, the
                # rule creating one there follows: a global one needs the root permission.
                call.require(project=target)
        service.update(
            conn, segment_id=segment_id, body=data, actor=call.actor, limits=_limits(call.settings)
        )
    return http.empty(204)


@route(
    router,
    Operation(
        operation_id="getSegment",
        method="GET",
        path=SEGMENT,
        tag=TAG,
        auth=Auth.ADMIN,
        path_params=SEGMENT_ID,
        answer=Answer(200, schemas.SEGMENT),
    ),
)
def get_segment(call: Call[None]) -> Response:
    segment_id = call.path_int("id")
    with call.read() as conn:
        return http.json(service.get(conn, segment_id=segment_id))


@route(
    router,
    Operation(
        operation_id="createSegment",
        method="POST",
        path=SEGMENTS,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.CREATE_SEGMENT, permissions.UPDATE_PROJECT_SEGMENT),
        body=schemas.UPSERT_SEGMENT,
        answer=Answer(
            201,
            schemas.SEGMENT,
            links={
                "GetSegment": link("getSegment", id=_NEW_SEGMENT_ID),
                "UpdateSegment": link("updateSegment", id=_NEW_SEGMENT_ID),
                "GetStrategiesBySegmentId": link("getStrategiesBySegmentId", id=_NEW_SEGMENT_ID),
                "RemoveSegment": link("removeSegment", id=_NEW_SEGMENT_ID),
            },
        ),
    ),
)
def create_segment(call: Call[UpsertSegment]) -> Response:
    data = call.body
    call.require(project=data.get("project") or None)
    with call.write() as conn:
        segment = service.create(conn, body=data, actor=call.actor, limits=_limits(call.settings))
    return http.json(segment, status_code=201, headers={"Location": f"segments/{segment['id']}"})


@route(
    router,
    Operation(
        operation_id="getSegments",
        method="GET",
        path=SEGMENTS,
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.SEGMENTS),
    ),
)
def get_segments(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(service.list_all(conn))
