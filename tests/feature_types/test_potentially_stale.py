"""The potentially-stale job: run directly with a given clock (never waited for), on flags
whose creation time is set in the database, as the reference Unleash 8.2.0 was brought to the
same state (potentially_stale_82.json: s1 created on 2026-01-01, a release flag, marked by its
job; s3 new; s2 archived)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, update

import flagkit
from leash.feature_types import staleness
from leash.features.models import features
from support import ADMIN

RECORDED: dict[str, Any] = json.loads(
    (Path(__file__).parent / "potentially_stale_82.json").read_text()
)
NOW = datetime(2026, 12, 3, 7, 6, tzinfo=UTC)
F = "/api/admin/projects/default/features"


def _db(client: TestClient) -> Engine:
    db: Engine = client.app.state.db  # type: ignore[attr-defined]
    return db


def _as_recorded(client: TestClient) -> None:
    flagkit.create_flag(client, "s1")
    flagkit.create_flag(client, "s2")
    assert client.delete(f"{F}/s2", headers=ADMIN).status_code == 202
    flagkit.create_flag(client, "s3")
    with _db(client).begin() as conn:
        conn.execute(
            update(features)
            .where(features.c.name.in_(["s1", "s2"]))
            .values(created_at=datetime(2026, 1, 1, tzinfo=UTC))
        )
    client.app.state.changed()  # type: ignore[attr-defined]


def _stale_events(client: TestClient) -> list[dict[str, Any]]:
    found = client.get("/api/admin/events", headers=ADMIN).json()["events"]
    return [
        {k: v for k, v in e.items() if k not in ("id", "createdAt")}
        for e in found
        if e["type"] == staleness.EVENT
    ]


def test_update_potentially_stale__past_lifetime__marked_with_8_2_event(client: TestClient) -> None:
    _as_recorded(client)
    assert staleness.run_once(_db(client), now=NOW) == ["s1"]
    assert _stale_events(client) == [RECORDED["event"]]
    # Marked once: a second run (another process's, say) writes nothing more.
    assert staleness.run_once(_db(client), now=NOW) == []
    assert len(_stale_events(client)) == 1


def test_search_state__potentially_stale__as_8_2(client: TestClient) -> None:
    _as_recorded(client)
    staleness.run_once(_db(client), now=NOW)
    for state, names in RECORDED["search"].items():
        response = client.get(
            f"/api/admin/search/features?sortBy=name&state={state}", headers=ADMIN
        )
        assert response.status_code == 200
        assert [f["name"] for f in response.json()["features"]] == names, state


def test_project_status_and_health__potentially_stale__as_8_2(client: TestClient) -> None:
    _as_recorded(client)
    staleness.run_once(_db(client), now=NOW)
    status = client.get("/api/admin/projects/default/status", headers=ADMIN).json()
    assert status["staleFlags"] == RECORDED["statusStaleFlags"]
    report = client.get("/api/admin/projects/default/health-report", headers=ADMIN).json()
    counts = {k: report[k] for k in RECORDED["healthCounts"]}
    assert counts == RECORDED["healthCounts"]
    # 8.2's flag view shows no potentiallyStale key.
    assert sorted(client.get(f"{F}/s1", headers=ADMIN).json()) == RECORDED["flagKeys"]


def test_update_potentially_stale__lifetime_removed__cleared_without_event(
    client: TestClient,
) -> None:
    _as_recorded(client)
    staleness.run_once(_db(client), now=NOW)
    response = client.put(
        "/api/admin/feature-types/release/lifetime", headers=ADMIN, json={"lifetimeDays": 0}
    )
    assert response.status_code == 200
    assert staleness.run_once(_db(client), now=NOW) == []
    assert len(_stale_events(client)) == 1
    search = "/api/admin/search/features?state=IS:potentially-stale"
    assert client.get(search, headers=ADMIN).json()["features"] == []


def test_update_potentially_stale__before_lifetime_or_stale__not_marked(
    client: TestClient,
) -> None:
    _as_recorded(client)
    assert staleness.run_once(_db(client), now=datetime(2026, 2, 9, tzinfo=UTC)) == []
    body = {"features": ["s1"], "stale": True}
    response = client.post("/api/admin/projects/default/stale", headers=ADMIN, json=body)
    assert response.status_code == 202
    assert staleness.run_once(_db(client), now=NOW) == []
    assert _stale_events(client) == []


def test_run_once__maintenance_mode__skipped(client: TestClient) -> None:
    _as_recorded(client)
    response = client.post("/api/admin/maintenance", headers=ADMIN, json={"enabled": True})
    assert response.status_code == 204
    assert staleness.run_once(_db(client), now=NOW) == []
    assert _stale_events(client) == []
