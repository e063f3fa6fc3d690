"""Uniqueness and limits of flags and strategies hold when requests race on one server.

The requests run at once from a thread pool against one app (one engine, one connection pool),
so on PostgreSQL they overlap in the database; SQLite serializes writers by itself.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pytest
from fastapi.testclient import TestClient

from leash.app import create_app
from leash.config import Settings
from support import ADMIN

FEAT = "/api/admin/projects/default/features"
T = TypeVar("T")


@pytest.fixture
def server(settings: Settings) -> Iterator[TestClient]:
    # A 500 must come back as a status to count, not as an exception in the calling thread.
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


def at_once(count: int, call: Callable[[int], T]) -> list[T]:
    """`count` calls released together, each in its own thread."""
    barrier = threading.Barrier(count)

    def run(i: int) -> T:
        barrier.wait()
        return call(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_create_flag__twenty_at_once_same_name__one_201_rest_409(server: TestClient) -> None:
    responses = at_once(20, lambda _: server.post(FEAT, headers=ADMIN, json={"name": "race"}))
    assert Counter(r.status_code for r in responses) == {201: 1, 409: 19}
    conflicts = [r.json() for r in responses if r.status_code == 409]
    message = "A flag with that name already exists"
    assert all(
        body == {"name": "NameExistsError", "message": message, "details": [{"message": message}]}
        for body in conflicts
    )
    created = server.get(f"{FEAT}/race", headers=ADMIN).json()
    assert [env["name"] for env in created["environments"]] == ["development", "production"]
    events = server.get("/api/admin/events", headers=ADMIN).json()["events"]
    assert [e["type"] for e in events if e["featureName"] == "race"] == ["feature-created"]


def test_add_strategy__forty_at_once__limit_of_thirty_holds(server: TestClient) -> None:
    assert server.post(FEAT, headers=ADMIN, json={"name": "many"}).status_code == 201
    path = f"{FEAT}/many/environments/development/strategies"
    responses = at_once(40, lambda _: server.post(path, headers=ADMIN, json={"name": "default"}))
    assert Counter(r.status_code for r in responses) == {200: 30, 400: 10}
    message = "Failed to create strategy. You can't create more than the established limit of 30."
    assert {r.json()["message"] for r in responses if r.status_code == 400} == {message}
    stored = server.get(path, headers=ADMIN).json()
    assert len(stored) == 30
    # Each add saw the ones before it, so the default sort orders are 0..29 without repeats.
    assert sorted(s["sortOrder"] for s in stored) == list(range(30))


def test_toggle_on__many_at_once_no_strategies__one_default_strategy(server: TestClient) -> None:
    assert server.post(FEAT, headers=ADMIN, json={"name": "switch"}).status_code == 201
    path = f"{FEAT}/switch/environments/development"
    responses = at_once(10, lambda _: server.post(f"{path}/on", headers=ADMIN))
    assert [r.status_code for r in responses] == [200] * 10
    stored = server.get(f"{path}/strategies", headers=ADMIN).json()
    assert [(s["name"], s["parameters"]["rollout"]) for s in stored] == [("flexibleRollout", "100")]
