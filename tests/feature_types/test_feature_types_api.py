"""GET /api/admin/feature-types and PUT /api/admin/feature-types/{id}/lifetime, replayed
against the answers Unleash 8.2.0 gave (fixtures/, recorded in this order); the
potentially-stale rule; flag types accepted on create."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from leash.feature_types.service import potentially_stale
from support import ADMIN

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RECORDED: dict[str, Any] = json.loads((FIXTURES / "feature_types_api.json").read_text())
EVENTS = [json.loads(line) for line in (FIXTURES / "events.jsonl").read_text().splitlines()]
VIEWER = 3
PASSWORD = "Very-Secret-Pass-123!"


def send(client: TestClient, method: str, path: str, body: Any) -> Any:
    return client.request(method, path, headers=ADMIN, json=body)


def answer(response: Any) -> Any:
    body = response.json()
    if isinstance(body.get("id"), str) and "details" in body:
        body["id"] = "<uuid>"
    return body


def test_get_all_feature_types__as_8_2(client: TestClient) -> None:
    response = client.get("/api/admin/feature-types", headers=ADMIN)
    assert (response.status_code, response.json()) == (200, RECORDED["list"]["body"])


def test_feature_types__recorded_sequence__answers_and_events_as_8_2(client: TestClient) -> None:
    for key, recorded in RECORDED.items():
        response = send(client, *recorded["request"])
        assert (response.status_code, answer(response)) == (
            recorded["status"],
            recorded["body"],
        ), key
    events = client.get("/api/admin/events", headers=ADMIN).json()["events"]
    mine = [
        {
            k: e[k]
            for k in ("type", "data", "preData", "project", "featureName", "environment", "tags")
        }
        for e in reversed(events)
        if e["type"] == "feature-type-updated"
    ]
    # Setting 0 after null changes nothing: Unleash drops the event (data equals preData).
    assert mine == EVENTS


def test_update_feature_type_lifetime__no_token__401(client: TestClient) -> None:
    response = client.put("/api/admin/feature-types/release/lifetime", json={"lifetimeDays": 1})
    assert response.status_code == 401


def test_update_feature_type_lifetime__viewer__403_unchanged(client: TestClient) -> None:
    created = client.post(
        "/api/admin/user-admin",
        headers=ADMIN,
        json={"username": "viewer-ft", "rootRole": VIEWER, "password": PASSWORD},
    )
    assert created.status_code == 201
    login = client.post("/auth/simple/login", json={"username": "viewer-ft", "password": PASSWORD})
    assert login.status_code == 200
    response = client.put("/api/admin/feature-types/release/lifetime", json={"lifetimeDays": 1})
    client.cookies.clear()
    assert response.status_code == 403
    assert response.json()["permissions"] == ["ADMIN"]
    listed = client.get("/api/admin/feature-types", headers=ADMIN).json()
    assert listed == RECORDED["list"]["body"]


def test_update_feature_type_lifetime__not_json__415(client: TestClient) -> None:
    response = client.put(
        "/api/admin/feature-types/release/lifetime",
        headers={**ADMIN, "Content-Type": "text/plain"},
        content=b'{"lifetimeDays": 1}',
    )
    assert response.status_code == 415


@pytest.mark.parametrize("flag_type", ["release", "sunset", "kill-switch"])
def test_create_flag__every_8_2_type__201(client: TestClient, flag_type: str) -> None:
    response = client.post(
        "/api/admin/projects/default/features",
        headers=ADMIN,
        json={"name": f"h3-{flag_type}", "type": flag_type},
    )
    assert (response.status_code, response.json()["type"]) == (201, flag_type)


CREATED = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("lifetime", "age", "expected"),
    [
        (40, timedelta(days=40), False),
        (40, timedelta(days=40, milliseconds=1), True),
        (7, timedelta(days=6), False),
        (7, timedelta(days=300), True),
        (None, timedelta(days=10_000), False),
    ],
)
def test_potentially_stale__past_the_types_lifetime(
    lifetime: int | None, age: timedelta, expected: bool
) -> None:
    assert potentially_stale(created_at=CREATED, lifetime_days=lifetime, now=CREATED + age) is (
        expected
    )
