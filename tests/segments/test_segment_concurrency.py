"""Name uniqueness and one segment's history hold under concurrency."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import IntegrityError

from leash.app import create_app
from leash.config import Settings
from leash.db import create_db_engine
from leash.segments import repository
from support import ADMIN


def test_create_segment__same_name_at_once__one_201_one_409(client: TestClient) -> None:
    rounds = 8
    barrier = threading.Barrier(2)

    def create(name: str) -> int:
        barrier.wait()
        response = client.post(
            "/api/admin/segments", headers=ADMIN, json={"name": name, "constraints": []}
        )
        status: int = response.status_code
        return status

    with ThreadPoolExecutor(max_workers=2) as pool:
        for i in range(rounds):
            statuses = sorted(pool.map(create, [f"race-{i}", f"race-{i}"]))
            assert statuses == [201, 409]
    names = [s["name"] for s in client.get("/api/admin/segments", headers=ADMIN).json()["segments"]]
    assert names == sorted(f"race-{i}" for i in range(rounds))


def test_segments_table__duplicate_insert_bypassing_service__rejected(settings: Settings) -> None:
    engine = create_db_engine(settings.database_url)
    try:
        with engine.begin() as conn:
            repository.insert_segment(
                conn, name="dup", description=None, project=None, constraints=[], created_by="t"
            )
        with pytest.raises(IntegrityError), engine.begin() as conn:
            repository.insert_segment(
                conn, name="dup", description=None, project=None, constraints=[], created_by="t"
            )
    finally:
        engine.dispose()


@pytest.fixture
def server(settings: Settings) -> Iterator[TestClient]:
    # A 500 must come back as a status to count, not as an exception in the calling thread.
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


def _update_and_deletes(server: TestClient, segment_id: int, deletes: int) -> tuple[int, list[int]]:
    """One rename and `deletes` deletes of the segment, released together."""
    barrier = threading.Barrier(deletes + 1)
    path = f"/api/admin/segments/{segment_id}"

    def update() -> int:
        barrier.wait()
        body = {"name": f"renamed-{segment_id}", "constraints": []}
        status: int = server.put(path, headers=ADMIN, json=body).status_code
        return status

    def delete(_: int) -> int:
        barrier.wait()
        status: int = server.delete(path, headers=ADMIN).status_code
        return status

    with ThreadPoolExecutor(max_workers=deletes + 1) as pool:
        updated = pool.submit(update)
        deleted = sorted(pool.map(delete, range(deletes)))
    return updated.result(), deleted


def test_update_and_deletes_at_once__one_deleted_event_last(server: TestClient) -> None:
    for i in range(6):
        segment_id = server.post(
            "/api/admin/segments", headers=ADMIN, json={"name": f"gone-{i}", "constraints": []}
        ).json()["id"]
        updated, deleted = _update_and_deletes(server, segment_id, deletes=3)
        assert deleted == [204, 404, 404]
        assert updated in (204, 404)
        events = server.get("/api/admin/events", headers=ADMIN).json()["events"]
        history = [
            e["type"]
            for e in reversed(events)
            if segment_id in ((e.get("data") or {}).get("id"), (e.get("preData") or {}).get("id"))
        ]
        if updated == 204:
            assert history == ["segment-created", "segment-updated", "segment-deleted"]
        else:
            assert history == ["segment-created", "segment-deleted"]


def test_create_segment__ten_at_once_limit_three__limit_holds(database_url: str) -> None:
    from conftest import make_settings

    settings = make_settings(database_url, unleash_segments_limit=3)
    with TestClient(create_app(settings), raise_server_exceptions=False) as server:
        barrier = threading.Barrier(10)

        def create(i: int) -> int:
            barrier.wait()
            body = {"name": f"capped-{i}", "constraints": []}
            status: int = server.post("/api/admin/segments", headers=ADMIN, json=body).status_code
            return status

        with ThreadPoolExecutor(max_workers=10) as pool:
            statuses = sorted(pool.map(create, range(10)))
        listed = server.get("/api/admin/segments", headers=ADMIN).json()["segments"]
    assert statuses == [201] * 3 + [400] * 7
    assert len(listed) == 3
