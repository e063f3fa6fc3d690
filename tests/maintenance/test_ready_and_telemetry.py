"""getReady (GET /ready) and getTelemetrySettings."""

from __future__ import annotations

from fastapi.testclient import TestClient

from leash.app import create_app
from leash.config import Settings
from support import ADMIN


def test_get_ready__database_up__200_good_as_8_2(client: TestClient) -> None:
    response = client.get("/ready")
    assert (response.status_code, response.json()) == (200, {"health": "GOOD"})


def test_get_ready__nothing_loaded_and_no_database__bare_503() -> None:
    # No lifespan: the app starts without its database (nothing listens on port 1), so
    # nothing has been loaded.
    app = create_app(Settings(database_url="postgresql://postgres@127.0.0.1:1/leash"))
    response = TestClient(app).get("/ready")
    assert (response.status_code, response.content) == (503, b"")


def test_get_telemetry_settings__leash_collects_nothing(client: TestClient) -> None:
    response = client.get("/api/admin/telemetry/settings", headers=ADMIN)
    assert (response.status_code, response.json()) == (
        200,
        {"versionInfoCollectionEnabled": False, "featureInfoCollectionEnabled": False},
    )
    assert client.get("/api/admin/telemetry/settings").status_code == 401
