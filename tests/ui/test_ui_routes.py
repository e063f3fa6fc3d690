"""Which paths the UI answers: its own deep links and assets, never the API's."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

# Which routes answer does not depend on the database: these run on SQLite only.
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

UI_PATHS = [
    "/",
    "/login",
    "/segments",
    "/segments/create",
    "/segments/edit/7",
    "/projects",
    "/projects/default/features/my-flag",
    "/playground",
    "/api-tokens",
    "/history",
]


@SQLITE_ONLY
@pytest.mark.parametrize("path", UI_PATHS)
def test_ui_path__serves_the_app_shell(client: TestClient, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert '<script type="module" src="/ui-assets/js/app.js"></script>' in response.text
    assert '<meta name="leash-base" content="">' in response.text


@SQLITE_ONLY
def test_ui_asset__served_as_javascript(client: TestClient) -> None:
    response = client.get("/ui-assets/js/pages/segments.js")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.text.startswith("import ")


@pytest.mark.parametrize(
    "path", ["/api/admin/not-here", "/not-a-ui-page", "/ui-assets/missing.js", "/segmentsx"]
)
@SQLITE_ONLY
def test_unknown_path__unleash_json_404_not_the_app(client: TestClient, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 404
    assert response.json()["message"] == (
        f"The path you were looking for ({path}) is not available."
    )


@SQLITE_ONLY
def test_api_paths__still_answered_by_the_api(client: TestClient) -> None:
    assert client.get("/health").json() == {"health": "GOOD"}
    assert client.get("/docs/openapi.json").json()["info"]["title"] == "Unleash API"
    assert client.get("/api/admin/segments").json()["name"] == "AuthenticationRequired"


def test_admin_api__accepts_the_login_session_cookie(client: TestClient) -> None:
    login = client.post(
        "/auth/simple/login", json={"username": "admin", "password": "unleash4all"}
    )
    assert login.status_code == 200

    response = client.get("/api/admin/segments")

    assert response.status_code == 200
    assert response.json() == {"segments": []}
