"""HTTP for /api/admin/strategies: the seven endpoints of Unleash's strategy controller."""

from __future__ import annotations

from fastapi import APIRouter, Response

from leash import http, permissions
from leash.api.call import Call
from leash.api.openapi import link
from leash.api.operation import Answer, Auth, Operation
from leash.api.route import route
from leash.strategy_definitions import schemas, service
from leash.strategy_definitions.schemas import CreateStrategy, UpdateStrategy

router = APIRouter()

TAG = "Strategies"
STRATEGIES = "/api/admin/strategies"
STRATEGY = STRATEGIES + "/{name}"
_NEW_NAME = "$response.body#/name"

# Strategy definitions are not part of what SDKs are served: their writes rebuild nothing.
_SDKS_SEE_IT = False


@route(
    router,
    Operation(
        operation_id="getAllStrategies",
        method="GET",
        path=STRATEGIES,
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.STRATEGIES),
    ),
)
def get_all_strategies(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(service.list_all(conn))


@route(
    router,
    Operation(
        operation_id="getStrategy",
        method="GET",
        path=STRATEGY,
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.STRATEGY),
    ),
)
def get_strategy(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(service.get(conn, name=call.path_str("name")))


@route(
    router,
    Operation(
        operation_id="createStrategy",
        method="POST",
        path=STRATEGIES,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.CREATE_STRATEGY,),
        body=schemas.CREATE_STRATEGY,
        answer=Answer(
            201,
            schemas.STRATEGY,
            links={
                "GetStrategy": link("getStrategy", name=_NEW_NAME),
                "UpdateStrategy": link("updateStrategy", name=_NEW_NAME),
                "DeprecateStrategy": link("deprecateStrategy", strategyName=_NEW_NAME),
                "ReactivateStrategy": link("reactivateStrategy", strategyName=_NEW_NAME),
                "RemoveStrategy": link("removeStrategy", name=_NEW_NAME),
            },
        ),
    ),
)
def create_strategy(call: Call[CreateStrategy]) -> Response:
    call.require()
    data = call.body
    with call.write(refresh=_SDKS_SEE_IT) as conn:
        strategy = service.create(conn, body=data, actor=call.actor)
    return http.json(
        strategy, status_code=201, headers={"Location": f"strategies/{strategy['name']}"}
    )


@route(
    router,
    Operation(
        operation_id="updateStrategy",
        method="PUT",
        path=STRATEGY,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_STRATEGY,),
        body=schemas.UPDATE_STRATEGY,
        answer=Answer(200),
    ),
)
def update_strategy(call: Call[UpdateStrategy]) -> Response:
    call.require()
    data = call.body
    with call.write(refresh=_SDKS_SEE_IT) as conn:
        service.update(conn, name=call.path_str("name"), body=data, actor=call.actor)
    return http.empty(200)


@route(
    router,
    Operation(
        operation_id="removeStrategy",
        method="DELETE",
        path=STRATEGY,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.DELETE_STRATEGY,),
        answer=Answer(200),
    ),
)
def remove_strategy(call: Call[None]) -> Response:
    call.require()
    with call.write(refresh=_SDKS_SEE_IT) as conn:
        service.delete(conn, name=call.path_str("name"), actor=call.actor)
    return http.empty(200)


@route(
    router,
    Operation(
        operation_id="deprecateStrategy",
        method="POST",
        path=STRATEGY.replace("{name}", "{strategyName}") + "/deprecate",
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_STRATEGY,),
        answer=Answer(200),
    ),
)
def deprecate_strategy(call: Call[None]) -> Response:
    call.require()
    with call.write(refresh=_SDKS_SEE_IT) as conn:
        service.deprecate(conn, name=call.path_str("strategyName"), actor=call.actor)
    return http.empty(200)


@route(
    router,
    Operation(
        operation_id="reactivateStrategy",
        method="POST",
        path=STRATEGY.replace("{name}", "{strategyName}") + "/reactivate",
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_STRATEGY,),
        answer=Answer(200),
    ),
)
def reactivate_strategy(call: Call[None]) -> Response:
    call.require()
    with call.write(refresh=_SDKS_SEE_IT) as conn:
        service.reactivate(conn, name=call.path_str("strategyName"), actor=call.actor)
    return http.empty(200)
