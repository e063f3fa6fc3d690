"""Serves the admin UI: index.html for the UI's own paths, and its static assets.

The UI is a small ES-module app with no build step; it calls the admin API with the
session cookie. Only the UI's own paths fall back to index.html, so unknown API paths keep
Unleash's JSON 404.
"""

from __future__ import annotations

import html
from functools import cache
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from leash.web_security import UI_HEADERS

STATIC_DIR = Path(__file__).parent / "static"
ASSETS_PATH = "/ui-assets"

# Deep links the app can render; anything else is not the UI's to answer.
UI_PATHS = (
    "/",
    "/login",
    # The links createUser and resetUserPassword answer with.
    "/new-user",
    "/reset-password",
    "/segments",
    "/segments/{rest:path}",
    "/projects",
    "/projects/{rest:path}",
    "/playground",
    "/api-tokens",
    "/history",
)

router = APIRouter(include_in_schema=False)


@cache
def _index_template() -> str:
    return (STATIC_DIR / "index.html").read_text(encoding="utf-8")


def index(request: Request) -> Response:
    base = html.escape(request.app.state.settings.base_path, quote=True)
    page = _index_template().replace("{{base}}", base)
    # The shell is tiny and names unhashed assets: always revalidate so upgrades show at once.
    return Response(
        page,
        media_type="text/html; charset=utf-8",
        headers={"Cache-Control": "no-cache", **UI_HEADERS},
    )


for _path in UI_PATHS:
    router.add_api_route(_path, index, methods=["GET"])


def mount_assets(app: FastAPI) -> None:
    app.mount(ASSETS_PATH, StaticFiles(directory=STATIC_DIR), name="ui-assets")
