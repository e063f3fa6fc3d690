"""Project health from the flag types' lifetimes as stored (updateFeatureTypeLifetime), as
Unleash 8.2 computes it on read for getProjectHealthReport, getProjectStatus and
getProjectInsights; the personal dashboard counts the staleness job's mark instead
(fixtures/lifetimes.json)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from flagkit import create_flag
from leash.config import Settings
from leash.db import create_db_engine
from leash.db.base import utcnow
from leash.feature_types import staleness
from leash.features.models import features
from support import ADMIN

REFERENCE: dict[str, Any] = json.loads(
    (Path(__file__).parent / "fixtures" / "lifetimes.json").read_text()
)
PROJECT = "/api/admin/projects/default"
PASSWORD = "unleash4all"


def _reference_flags(client: TestClient, settings: Settings) -> None:
    """Two release flags, one created 3 days ago, as in the recording."""
    create_flag(client, "fav1")
    create_flag(client, "nofav")
    engine = create_db_engine(settings.database_url)
    with engine.begin() as conn:
        conn.execute(
            update(features)
            .where(features.c.name == "fav1")
            .values(created_at=utcnow() - timedelta(days=3))
        )
    engine.dispose()


def _set_release_lifetime(client: TestClient, days: int) -> Any:
    response = client.put(
        "/api/admin/feature-types/release/lifetime", headers=ADMIN, json={"lifetimeDays": days}
    )
    assert response.status_code == 200, response.text
    return response.json()


def _health(client: TestClient) -> dict[str, Any]:
    report = client.get(PROJECT + "/health-report", headers=ADMIN).json()
    status = client.get(PROJECT + "/status", headers=ADMIN).json()
    insights = client.get(PROJECT + "/insights", headers=ADMIN).json()
    keys = ("potentiallyStaleCount", "activeCount", "staleCount")
    return {
        "healthReport": {k: report[k] for k in keys},
        "status": {k: status[k] for k in ("health", "technicalDebt")},
        "insights": {k: insights[k] for k in ("health", "technicalDebt")},
    }


@pytest.mark.parametrize("days", [2, 0, 40])
def test_project_health__release_lifetime_as_stored__as_unleash(
    client: TestClient, settings: Settings, days: int
) -> None:
    _reference_flags(client, settings)
    stored = _set_release_lifetime(client, days)
    if days == 2:
        assert stored == REFERENCE["setLifetime"]
    assert _health(client) == REFERENCE[f"releaseLifetime{days}"]


def test_project_health__lifetime_shortened_then_restored__follows_the_stored_lifetime(
    client: TestClient, settings: Settings
) -> None:
    _reference_flags(client, settings)
    _set_release_lifetime(client, 2)
    assert _health(client) == REFERENCE["releaseLifetime2"]
    _set_release_lifetime(client, 40)
    assert _health(client) == REFERENCE["releaseLifetime40"]


def test_dashboard_insights__counts_the_staleness_job_mark__as_unleash(
    client: TestClient, settings: Settings
) -> None:
    _reference_flags(client, settings)
    _set_release_lifetime(client, 2)
    login = client.post("/auth/simple/login", json={"username": "admin", "password": PASSWORD})
    assert login.status_code == 200, login.text
    before = client.get("/api/admin/personal-dashboard/default").json()["insights"]
    assert before == REFERENCE["dashboardInsights releaseLifetime2 before the staleness job"]
    engine = create_db_engine(settings.database_url)
    assert staleness.run_once(engine) == ["fav1"]
    engine.dispose()
    after = client.get("/api/admin/personal-dashboard/default").json()["insights"]
    assert after == REFERENCE["dashboardInsights releaseLifetime2 after the staleness job"]
