"""OpenAPI document at /docs/openapi.json and Swagger UI at /docs/openapi/, as Unleash has them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

from leash import http
from leash.api import openapi
from leash.api.operation import OPERATIONS

router = APIRouter(include_in_schema=False)


def openapi_document(request: Request) -> dict[str, Any]:
    """The document of the declared operations (leash.api.operation.OPERATIONS), built once:
    every operation is declared before the app serves its first request."""
    app = request.app
    if app.openapi_schema is None:
        document: dict[str, Any] = {
            "openapi": "3.0.3",
            "info": {
                "title": "Unleash API",
                "description": "leash: the Unleash API, served by a Python server.",
                "version": app.version,
            },
            "paths": {},
            "components": {
                "securitySchemes": {
                    "apiKey": {"type": "apiKey", "in": "header", "name": "Authorization"}
                }
            },
            "security": [{"apiKey": []}],
        }
        openapi.add_operations(document, OPERATIONS)
        app.openapi_schema = document
    built: dict[str, Any] = app.openapi_schema
    return built


@router.get("/docs/openapi.json")
def openapi_json(request: Request) -> Response:
    return http.json(openapi_document(request))


@router.get("/docs/openapi")
@router.get("/docs/openapi/")
def swagger_ui(request: Request) -> Response:
    base = request.app.state.settings.base_path
    # Served from the vendored swagger-ui-bundle: the docs work with no network.
    return get_swagger_ui_html(
        openapi_url=f"{base}/docs/openapi.json",
        title="leash API",
        swagger_js_url=f"{base}/docs/openapi/static/swagger-ui-bundle.js",
        swagger_css_url=f"{base}/docs/openapi/static/swagger-ui.css",
        swagger_favicon_url=f"{base}/docs/openapi/static/favicon-32x32.png",
    )


def mount_static(app: FastAPI) -> None:
    app.mount("/docs/openapi/static", StaticFiles(directory=swagger_ui_path), name="swagger-ui")
