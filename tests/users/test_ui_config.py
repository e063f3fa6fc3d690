"""getUiConfig, against the answer recorded from the reference Unleash 8.2.0
(fixtures/ui_config_8_2.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from accountkit import create_bob, log_in
from leash.secrets import sha256
from support import ADMIN

RECORDED: dict[str, Any] = json.loads(
    (Path(__file__).parent / "fixtures" / "ui_config_8_2.json").read_text()
)["body"]


def test_get_ui_config__admin_token__as_unleash_but_origins(client: TestClient) -> None:
    response = client.get("/api/admin/ui-config", headers=ADMIN)
    assert response.status_code == 200
    body = response.json()
    # Unleash's default allows every origin; leash's default is CORS off (no origin listed).
    assert body["frontendApiOrigins"] == []
    # The instance's own id, the one its statistics report.
    stats = client.get("/api/admin/instance-admin/statistics", headers=ADMIN).json()
    assert body["versionInfo"]["instanceId"] == stats["instanceId"] != ""
    body["versionInfo"]["instanceId"] = "<instanceId>"
    assert {**body, "frontendApiOrigins": ["*"]} == RECORDED


def test_get_ui_config__session__hashed_email_and_session_in_context(
    client: TestClient,
) -> None:
    user_id = create_bob(client)
    log_in(client)
    sid = client.cookies["unleash-session"]
    context = client.get("/api/admin/ui-config").json()["unleashContext"]
    assert context == {
        "email": sha256("h7-bob@example.com"),
        "userId": user_id,
        "sessionId": sha256(sid),
    }


def test_get_ui_config__no_credentials__401(client: TestClient) -> None:
    response = client.get("/api/admin/ui-config")
    assert response.status_code == 401
    assert response.json()["name"] == "AuthenticationRequired"


def test_get_ui_config__maintenance_on__top_level_true_flag_unchanged(
    client: TestClient,
) -> None:
    # As recorded from Unleash 8.2.0: maintenanceMode true, flags.maintenanceMode still false.
    assert (
        client.post("/api/admin/maintenance", json={"enabled": True}, headers=ADMIN).status_code
        == 204
    )
    on = client.get("/api/admin/ui-config", headers=ADMIN).json()
    assert (on["maintenanceMode"], on["flags"]["maintenanceMode"]) == (True, False)
    assert (
        client.post("/api/admin/maintenance", json={"enabled": False}, headers=ADMIN).status_code
        == 204
    )
    off = client.get("/api/admin/ui-config", headers=ADMIN).json()
    assert (off["maintenanceMode"], off["flags"]["maintenanceMode"]) == (False, False)
