"""Project role assignments hold when requests race on one server (PostgreSQL overlaps them
in the database; SQLite serializes writers by itself)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from leash.app import create_app
from leash.config import Settings
from support import ADMIN

OWNER, MEMBER = 4, 5


@pytest.fixture
def server(settings: Settings) -> Iterator[TestClient]:
    # A 500 must come back as a status to count, not as an exception in the calling thread.
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


def _user(server: TestClient, username: str) -> int:
    created = server.post(
        "/api/admin/user-admin", headers=ADMIN, json={"username": username, "rootRole": 3}
    )
    assert created.status_code == 201, created.text
    user_id: int = created.json()["id"]
    return user_id


def _add_at_once(server: TestClient, bodies: list[tuple[int, list[int]]]) -> list[int]:
    barrier = threading.Barrier(len(bodies))

    def add(body: tuple[int, list[int]]) -> int:
        role, user_ids = body
        barrier.wait()
        status: int = server.post(
            f"/api/admin/projects/default/role/{role}/access",
            headers=ADMIN,
            json={"users": [{"id": user_id} for user_id in user_ids], "groups": []},
        ).status_code
        return status

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        return list(pool.map(add, bodies))


def _access(server: TestClient) -> list[tuple[int, list[int]]]:
    users = server.get("/api/admin/projects/default/access", headers=ADMIN).json()["users"]
    return [(u["id"], u["roles"]) for u in users]


def test_add_access__same_user_twenty_times_at_once__all_200_one_role(server: TestClient) -> None:
    user_id = _user(server, "twenty")
    assert _add_at_once(server, [(MEMBER, [user_id])] * 20) == [200] * 20
    assert _access(server) == [(user_id, [MEMBER])]


def test_add_access__overlapping_lists_at_once__all_200_each_once(server: TestClient) -> None:
    a, b, c = _user(server, "a"), _user(server, "b"), _user(server, "c")
    bodies = [(OWNER, [a, b]), (OWNER, [b, c]), (OWNER, [c, a]), (MEMBER, [a, b, c])] * 4
    assert _add_at_once(server, bodies) == [200] * len(bodies)
    assert _access(server) == [(a, [OWNER, MEMBER]), (b, [OWNER, MEMBER]), (c, [OWNER, MEMBER])]
