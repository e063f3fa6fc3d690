"""Dependency rules and bulk writes hold when requests race on one server (PostgreSQL overlaps
them in the database; SQLite serializes writers by itself)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pytest
from fastapi.testclient import TestClient

from flagkit import create_flag
from leash.app import create_app
from leash.config import Settings
from support import ADMIN

FEAT = "/api/admin/projects/default/features"
BULK = "/api/admin/projects/default/bulk_features/environments/development"
T = TypeVar("T")


@pytest.fixture
def server(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


def at_once(count: int, call: Callable[[int], T]) -> list[T]:
    barrier = threading.Barrier(count)

    def run(i: int) -> T:
        barrier.wait()
        return call(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def test_add_dependency__chain_raced__never_a_grandchild(server: TestClient) -> None:
    for name in ("a", "b", "c"):
        create_flag(server, name)
    # b -> a and c -> b at once: whichever comes second would make a grandchild.
    adds = [("b", "a"), ("c", "b")] * 5
    responses = at_once(
        len(adds),
        lambda i: server.post(
            f"{FEAT}/{adds[i][0]}/dependencies", headers=ADMIN, json={"feature": adds[i][1]}
        ),
    )
    assert set(Counter(r.status_code for r in responses)) <= {200, 403}
    parents = {
        name: [
            d["feature"] for d in server.get(f"{FEAT}/{name}", headers=ADMIN).json()["dependencies"]
        ]
        for name in ("a", "b", "c")
    }
    assert parents in ({"a": [], "b": ["a"], "c": []}, {"a": [], "b": [], "c": ["b"]})


def test_bulk_toggle__opposite_orders_at_once__no_deadlock(server: TestClient) -> None:
    names = [f"f{i}" for i in range(6)]
    for name in names:
        create_flag(server, name)
    orders = [names, list(reversed(names))] * 4
    responses = at_once(
        len(orders),
        lambda i: server.post(BULK + "/on", headers=ADMIN, json={"features": orders[i]}),
    )
    assert [r.status_code for r in responses] == [200] * len(orders)
    for name in names:
        environment = server.get(f"{FEAT}/{name}/environments/development", headers=ADMIN).json()
        # One default strategy each, however many toggles raced.
        assert (environment["enabled"], len(environment["strategies"])) == (True, 1)
