"""Every route the app serves is a declared operation, and every declared operation is served:
an undeclared route (no validation, no document, no fuzzing) cannot be added unnoticed."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from fastapi.routing import APIRoute

from conftest import make_settings
from leash.api.operation import OPERATIONS
from leash.app import create_app

# The pages, not the API: the admin UI and the OpenAPI document and viewer.
PAGE_MODULES = ("leash.ui.router", "leash.docs.router")
# Backend SDK paths on the frontend API: refused as Unleash refuses them, not operations.
REFUSALS = frozenset(
    {
        ("GET", "/api/frontend/client/features"),
        ("GET", "/api/frontend/health"),
        ("GET", "/api/frontend/internal-backstage/prometheus"),
    }
)


def _routes(routes: Iterable[Any]) -> Iterator[APIRoute]:
    """Every APIRoute, through the included routers."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _routes(inner.routes)


def _served(database_url: str) -> set[tuple[str, str]]:
    app = create_app(make_settings(database_url))
    return {
        (method, route.path)
        for route in _routes(app.routes)
        if route.endpoint.__module__ not in PAGE_MODULES
        for method in (route.methods or set()) - {"HEAD"}
    }


def test_routes__every_api_route__a_declared_operation(database_url: str) -> None:
    # Served first: building the app imports the routers, which fill the registry.
    served = _served(database_url)
    declared = {(operation.method, operation.path) for operation in OPERATIONS.values()}
    assert served - REFUSALS - declared == set()


def test_routes__every_declared_operation__served_with_its_method_and_path(
    database_url: str,
) -> None:
    served = _served(database_url)
    unserved = [
        operation.operation_id
        for operation in OPERATIONS.values()
        if (operation.method, operation.path) not in served
    ]
    assert unserved == []


def test_routes__refusals__still_served(database_url: str) -> None:
    # The exemptions name routes that exist: a stale one would hide nothing, but mislead.
    assert _served(database_url) >= REFUSALS
