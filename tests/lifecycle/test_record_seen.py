"""Stages entered from SDK metrics (lifecycle.service.record_seen, which the metrics path
calls), against what Unleash 8.2.0 answered after the same metrics (metrics_stages_82.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

import flagkit
from leash.lifecycle import service
from support import ADMIN

RECORDED: dict[str, Any] = json.loads(
    (Path(__file__).parent / "metrics_stages_82.json").read_text()
)
F = "/api/admin/projects/default/features"


def _db(client: TestClient) -> Engine:
    db: Engine = client.app.state.db  # type: ignore[attr-defined]
    return db


def _seen(client: TestClient, *, environment: str, names: list[str]) -> None:
    with _db(client).begin() as conn:
        service.record_seen(conn, environment=environment, names=names)


def _stages(client: TestClient, flag: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = client.get(f"{F}/{flag}/lifecycle", headers=ADMIN).json()
    return found


def _enable(client: TestClient, flag: str, environment: str) -> None:
    flagkit.add_strategy(client, flag, environment=environment)
    url = f"{F}/{flag}/environments/{environment}/on"
    assert client.post(url, headers=ADMIN).status_code == 200


def test_record_seen__production_and_development__stages_as_8_2(client: TestClient) -> None:
    for flag in ("m1", "m2", "m3"):
        flagkit.create_flag(client, flag)
    _enable(client, "m1", "production")
    _enable(client, "m3", "development")
    _seen(client, environment="production", names=["m1", "m2", "nope"])
    _seen(client, environment="development", names=["m3"])
    for flag in ("m1", "m2", "m3"):
        # 8.2 listed `initial` late (its own listener's race); the stages entered are these.
        assert sorted(s["stage"] for s in _stages(client, flag)) == sorted(RECORDED[flag]), flag
    live = [s for s in _stages(client, "m1") if s["stage"] in ("pre-live", "live")]
    assert [s["stage"] for s in live] == ["pre-live", "live"]
    assert live[0]["enteredStageAt"] < live[1]["enteredStageAt"]


def test_record_seen__again__first_entry_time_kept(client: TestClient) -> None:
    flagkit.create_flag(client, "m1")
    _seen(client, environment="development", names=["m1", "m1"])
    first = _stages(client, "m1")
    _seen(client, environment="development", names=["m1"])
    assert _stages(client, "m1") == first
    assert [s["stage"] for s in first] == ["initial", "pre-live"]


def test_record_seen__unknown_environment_or_flag__nothing_entered(client: TestClient) -> None:
    flagkit.create_flag(client, "m1")
    _seen(client, environment="nowhere", names=["m1"])
    _seen(client, environment="production", names=[])
    assert [s["stage"] for s in _stages(client, "m1")] == ["initial"]


def test_record_seen__production_not_enabled__pre_live_only(client: TestClient) -> None:
    flagkit.create_flag(client, "m1")
    _enable(client, "m1", "development")
    _seen(client, environment="production", names=["m1"])
    assert [s["stage"] for s in _stages(client, "m1")] == ["initial", "pre-live"]
