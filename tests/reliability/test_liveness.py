"""No request may stall the others: while one hostile request runs on a one-worker `leash serve`,
the SDK paths and /health keep answering.

A long C-level call (a backtracking Python `re`, `x in range(...)` with a float, int() of a huge
digit string) holds the GIL, so every other request of the worker waits for it, SDK polls
included. Each case below was such a call once. The bound on the polls is deliberately generous
(LIVENESS_BOUND_SECONDS): it catches a freeze, not a slow answer; speed is measured by benchmarks.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from leash_process import LeashProcess

from conftest import PG_ENV, Databases
from support import ADMIN, CLIENT, FRONTEND

pytestmark = [pytest.mark.slow]

LIVENESS_BOUND_SECONDS = 1.0
# The hostile request itself may be slow (it does real work on a large input), never a 5xx.
HOSTILE_BOUND_SECONDS = 20.0
MIN_POLL_ROUNDS = 3

FLAG = "liveness-num"


@dataclass
class Server:
    url: str
    strategy_id: str
    segment_id: int
    polls: list[float] = field(default_factory=list)


def _database(kind: str, databases: Databases) -> str:
    import os

    if kind == "postgres":
        if not os.environ.get(PG_ENV):
            if os.environ.get("CI"):
                pytest.fail(f"{PG_ENV} must be set in CI so the PostgreSQL suite runs")
            pytest.skip(f"{PG_ENV} not set")
        return databases.postgres()
    return databases.sqlite()


def _seed(url: str) -> tuple[str, int]:
    with httpx.Client(base_url=url, headers=ADMIN, timeout=30) as admin:
        segment = admin.post(
            "/api/admin/segments",
            json={
                "name": "liveness-segment",
                "constraints": [{"contextName": "n", "operator": "NUM_GT", "value": "5"}],
            },
        )
        assert segment.status_code == 201, segment.text
        flag = admin.post("/api/admin/projects/default/features", json={"name": FLAG})
        assert flag.status_code == 201, flag.text
        base = f"/api/admin/projects/default/features/{FLAG}/environments/development"
        strategy = admin.post(
            f"{base}/strategies",
            json={
                "name": "flexibleRollout",
                "parameters": {"rollout": "100", "stickiness": "default", "groupId": FLAG},
                "constraints": [{"contextName": "n", "operator": "NUM_GT", "value": "5"}],
                "segments": [segment.json()["id"]],
            },
        )
        assert strategy.status_code == 200, strategy.text
        assert admin.post(f"{base}/on").status_code == 200
    return str(strategy.json()["id"]), int(segment.json()["id"])


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def server(
    request: pytest.FixtureRequest,
    databases: Databases,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Server]:
    database_url = _database(request.param, databases)
    log_dir: Path = tmp_path_factory.mktemp("liveness")
    process = LeashProcess(database_url=database_url, log_dir=log_dir, workers=1)
    process.start()
    try:
        strategy_id, segment_id = _seed(process.url)
        yield Server(process.url, strategy_id, segment_id)
    finally:
        process.stop()
        databases.drop(database_url)


Hostile = Callable[[httpx.Client, Server], httpx.Response]

_HUGE_NUMBER_CONTEXT = {"properties": {"n": "1" * 16_000 + "x"}}


def _segments_of_strategy_float_id(http: httpx.Client, server: Server) -> httpx.Response:
    return http.post(
        "/api/admin/segments/strategies",
        headers=ADMIN,
        json={
            "projectId": "default",
            "environmentId": "development",
            "strategyId": server.strategy_id,
            "segmentIds": [1.0],
        },
    )


def _frontend_huge_number(http: httpx.Client, _: Server) -> httpx.Response:
    return http.post("/api/frontend", headers=FRONTEND, json={"context": _HUGE_NUMBER_CONTEXT})


def _playground_huge_number(http: httpx.Client, _: Server) -> httpx.Response:
    return http.post(
        "/api/admin/playground",
        headers=ADMIN,
        json={"environment": "development", "context": {"appName": "a", **_HUGE_NUMBER_CONTEXT}},
    )


def _event_search_backtracking_list(http: httpx.Client, _: Server) -> httpx.Response:
    return http.get(
        "/api/admin/search/events", headers=ADMIN, params={"type": "IS:" + ",a" * 15_000 + ",-"}
    )


def _client_features_backtracking_tag(http: httpx.Client, _: Server) -> httpx.Response:
    return http.get("/api/client/features", headers=CLIENT, params={"tag": "a" * 50_000})


def _segment_id_of_5000_digits(http: httpx.Client, _: Server) -> httpx.Response:
    return http.get("/api/admin/segments/" + "1" * 5_000, headers=ADMIN)


def _event_search_offset_of_5000_digits(http: httpx.Client, _: Server) -> httpx.Response:
    return http.get("/api/admin/search/events", headers=ADMIN, params={"offset": "9" * 5_000})


def _strategy_rollout_of_4400_digits(http: httpx.Client, server: Server) -> httpx.Response:
    return http.post(
        f"/api/admin/projects/default/features/{FLAG}/environments/development/strategies",
        headers=ADMIN,
        json={"name": "flexibleRollout", "parameters": {"rollout": "1" * 4_400}},
    )


HOSTILE: dict[str, Hostile] = {
    "segments_of_strategy_float_id": _segments_of_strategy_float_id,
    "frontend_huge_number": _frontend_huge_number,
    "playground_huge_number": _playground_huge_number,
    "event_search_backtracking_list": _event_search_backtracking_list,
    "client_features_backtracking_tag": _client_features_backtracking_tag,
    "segment_id_of_5000_digits": _segment_id_of_5000_digits,
    "event_search_offset_of_5000_digits": _event_search_offset_of_5000_digits,
    "strategy_rollout_of_4400_digits": _strategy_rollout_of_4400_digits,
}

POLLS: tuple[tuple[str, dict[str, str]], ...] = (
    ("/health", {}),
    ("/api/client/features", CLIENT),
    ("/api/frontend?userId=liveness", FRONTEND),
)


def _send(hostile: Hostile, server: Server, outcome: dict[str, Any]) -> None:
    started = time.monotonic()
    try:
        with httpx.Client(base_url=server.url, timeout=HOSTILE_BOUND_SECONDS) as http:
            outcome["status"] = hostile(http, server).status_code
    except Exception as error:  # reported by the test, whatever it is
        outcome["error"] = repr(error)
    outcome["seconds"] = time.monotonic() - started


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_request__sdk_paths_and_health_keep_answering(server: Server, case: str) -> None:
    outcome: dict[str, Any] = {}
    sender = threading.Thread(target=_send, args=(HOSTILE[case], server, outcome))
    stalled: list[str] = []
    with httpx.Client(base_url=server.url, timeout=LIVENESS_BOUND_SECONDS) as poller:
        sender.start()
        rounds = 0
        while sender.is_alive() or rounds < MIN_POLL_ROUNDS:
            for path, headers in POLLS:
                started = time.monotonic()
                try:
                    answer = poller.get(path, headers=headers)
                    took = time.monotonic() - started
                    if answer.status_code != 200 or took > LIVENESS_BOUND_SECONDS:
                        stalled.append(f"{path}: {answer.status_code} in {took:.2f}s")
                except httpx.TimeoutException:
                    stalled.append(f"{path}: no answer within {LIVENESS_BOUND_SECONDS}s")
            rounds += 1
            if stalled:
                break
    sender.join(timeout=HOSTILE_BOUND_SECONDS + 5)
    assert stalled == [], f"{case} stalled the server: {stalled}"
    assert "error" not in outcome, f"{case}: {outcome}"
    assert outcome["status"] < 500, f"{case}: {outcome}"
