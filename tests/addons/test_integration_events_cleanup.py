"""Unleash 8.2's integration-events clean-up (integration-events.e2e.test's three cases): the
latest 100 deliveries of the last 2 hours and each integration's latest one are kept."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, insert, select

from conftest import make_settings
from leash.addons.delivery import clean_up
from leash.addons.models import integration_events
from leash.app import create_app
from support import ADMIN

A = "/api/admin/addons"
NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(database_url))) as found:
        yield found


def _db(client: TestClient) -> Engine:
    engine: Engine = client.app.state.db  # type: ignore[attr-defined]
    return engine


def _addon(client: TestClient) -> int:
    body = {
        "provider": "webhook",
        "enabled": True,
        "parameters": {"url": "https://93.184.216.34/x"},
        "events": ["feature-created"],
        "projects": [],
        "environments": [],
    }
    response = client.post(A, headers=ADMIN, json=body)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _delivered(client: TestClient, *, addon_id: int, state: str, at: datetime) -> None:
    with _db(client).begin() as conn:
        conn.execute(
            insert(integration_events).values(
                integration_id=addon_id,
                created_at=at,
                state=state,
                state_details="",
                event={"type": "feature-created"},
                details={},
            )
        )


def _states(client: TestClient, addon_id: int) -> list[Any]:
    response = client.get(f"{A}/{addon_id}/events", headers=ADMIN)
    assert response.status_code == 200
    return [event["state"] for event in response.json()["integrationEvents"]]


def test_clean_up__older_than_two_hours__gone_recent_kept(client: TestClient) -> None:
    addon = _addon(client)
    for state, age in (
        ("success", timedelta(hours=3)),
        ("failed", timedelta(days=2)),
        ("success", NOW - datetime(2000, 1, 1, tzinfo=UTC)),
        ("failed", timedelta(hours=1)),
        ("success", timedelta(0)),
    ):
        _delivered(client, addon_id=addon, state=state, at=NOW - age)
    assert clean_up(_db(client), now=NOW) == 3
    assert _states(client, addon) == ["success", "failed"]


def test_clean_up__two_hundred_recent__latest_hundred_kept(client: TestClient) -> None:
    addon = _addon(client)
    for index in range(200):
        _delivered(client, addon_id=addon, state="success" if index % 2 else "failed", at=NOW)
    assert clean_up(_db(client), now=NOW) == 100
    with _db(client).connect() as conn:
        states = conn.execute(
            select(integration_events.c.state).order_by(integration_events.c.id.desc())
        ).scalars()
        assert list(states) == ["success", "failed"] * 50


def test_clean_up__all_old__each_integrations_latest_kept(client: TestClient) -> None:
    first, second = _addon(client), _addon(client)
    old = datetime(2000, 1, 1, tzinfo=UTC)
    for addon in (first, second):
        _delivered(client, addon_id=addon, state="success", at=old)
        _delivered(client, addon_id=addon, state="failed", at=old)
    assert clean_up(_db(client), now=NOW) == 2
    assert _states(client, first) == ["failed"]
    assert _states(client, second) == ["failed"]


def test_clean_up__maintenance_mode__nothing_deleted(client: TestClient) -> None:
    addon = _addon(client)
    old = datetime(2000, 1, 1, tzinfo=UTC)
    _delivered(client, addon_id=addon, state="success", at=old)
    _delivered(client, addon_id=addon, state="failed", at=old)
    response = client.post("/api/admin/maintenance", headers=ADMIN, json={"enabled": True})
    assert response.status_code == 204
    assert clean_up(_db(client), now=NOW) == 0
    assert _states(client, addon) == ["failed", "success"]
