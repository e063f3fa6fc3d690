"""The onboardingStatus Unleash 8.2 lists with each project (GET /api/admin/projects)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient

from flagkit import create_flag, switch
from support import ADMIN, CLIENT


def _status(client: TestClient) -> Any:
    response = client.get("/api/admin/projects", headers=ADMIN)
    assert response.status_code == 200
    return response.json()["projects"][0]["onboardingStatus"]


def _report_metrics(client: TestClient, flag: str) -> None:
    stamp = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    body = {
        "appName": "onboarding-app",
        "instanceId": "i1",
        "bucket": {"start": stamp, "stop": stamp, "toggles": {flag: {"yes": 1, "no": 0}}},
    }
    assert client.post("/api/client/metrics", headers=CLIENT, json=body).status_code == 202


def test_onboarding__no_flag__onboarding_started(client: TestClient) -> None:
    assert _status(client) == {"status": "onboarding-started"}


def test_onboarding__live_flags__first_flag_created_names_the_oldest(client: TestClient) -> None:
    create_flag(client, "onb-first")
    create_flag(client, "onb-second")

    assert _status(client) == {"status": "first-flag-created", "feature": "onb-first"}


def test_onboarding__only_archived_flags__onboarding_started(client: TestClient) -> None:
    create_flag(client, "onb-gone")
    archived = client.delete("/api/admin/projects/default/features/onb-gone", headers=ADMIN)
    assert archived.status_code == 202

    assert _status(client) == {"status": "onboarding-started"}


def test_onboarding__sdk_reported_never_enabled__sdk_connected(client: TestClient) -> None:
    create_flag(client, "onb-seen")
    _report_metrics(client, "onb-seen")

    assert _status(client) == {"status": "sdk-connected"}


def test_onboarding__sdk_reported_and_a_flag_enabled__onboarded(client: TestClient) -> None:
    create_flag(client, "onb-on")
    switch(client, "onb-on")
    _report_metrics(client, "onb-on")

    assert _status(client) == {"status": "onboarded"}
