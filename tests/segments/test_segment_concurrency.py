"""Name uniqueness holds under concurrency, enforced by the database itself."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import IntegrityError

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
        return response.status_code

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
