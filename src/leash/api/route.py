"""Binding a handler to its declared operation on a router."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from leash.api.call import Call, serve
from leash.api.operation import Operation, register

Handler = Callable[[Call[Any]], Response]


def route(router: APIRouter, operation: Operation) -> Callable[[Handler], Handler]:
    """Declare `operation` on `router` (a router without a prefix: the path is the full path)
    and bind the decorated handler to it."""
    register(operation)

    def bind(handler: Handler) -> Handler:
        async def endpoint(request: Request) -> Response:
            # The body is read here (the event loop's job); everything else, from the token
            # lookup on, runs in the thread pool, as FastAPI runs sync handlers.
            raw = await request.body()
            call: Call[Any] = Call(operation=operation, request=request, raw=raw)
            return await run_in_threadpool(serve, call, handler)

        router.add_api_route(
            operation.path,
            endpoint,
            methods=[operation.method],
            operation_id=operation.operation_id,
            name=operation.operation_id,
            include_in_schema=False,
        )
        return handler

    return bind
