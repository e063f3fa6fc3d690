"""OpenAPI document at /docs/openapi.json and Swagger UI at /docs/openapi/, as Unleash has them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

from leash import http
from leash.api import openapi
from leash.api.operation import OPERATIONS
from leash.docs import contract

router = APIRouter(include_in_schema=False)


def openapi_document(request: Request) -> dict[str, Any]:
    app = request.app
    if app.openapi_schema is None:
        app.openapi_schema = get_openapi(
            title="Unleash API",
            version=app.version,
            openapi_version="3.0.3",
            description="leash: the Unleash API, served by a Python server.",
            routes=app.routes,
        )
        app.openapi_schema["components"].setdefault("securitySchemes", {})["apiKey"] = {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
        }
        app.openapi_schema["security"] = [{"apiKey": []}]
        contract.apply(app.openapi_schema)
        openapi.add_operations(app.openapi_schema, OPERATIONS)
    document: dict[str, Any] = app.openapi_schema
    return document


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
