"""Many processes, one truth: two leash instances on one database (each with its own caches,
as separate processes or workers have) serve a change made through the other within 1 second.

Each instance is a real HTTP server (tests/live.py). Every check polls the other instance until
a deadline of 1 s after the write returned; nothing sleeps for a fixed time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import httpx
import pytest
from sqlalchemy import insert

import flagkit
from conftest import make_settings
from leash.db import create_db_engine
from leash.db.base import utcnow
from leash.events.models import events
from leash.revision import read_revision
from live import live_server
from support import ADMIN, CLIENT, FRONTEND

FEATURES = "/api/client/features"
SEGMENTS_MODE = {**CLIENT, "Unleash-Client-Spec": "5.0.0"}
WITHIN_SECONDS = 1.0


@pytest.fixture
def two_instances(database_url: str) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    with ExitStack() as stack:
        urls = [stack.enter_context(live_server(make_settings(database_url))) for _ in range(2)]
        first, second = (stack.enter_context(httpx.Client(base_url=url)) for url in urls)
        yield first, second


def seen_within(check: Callable[[], bool], *, seconds: float = WITHIN_SECONDS) -> bool:
    """True as soon as `check()` holds; False if it still does not after `seconds`."""
    deadline = time.monotonic() + seconds
    pause = threading.Event()
    while True:
        if check():
            return True
        if time.monotonic() >= deadline:
            return False
        pause.wait(0.01)


def feature_names(http: httpx.Client, headers: dict[str, str] = CLIENT) -> list[str]:
    response = http.get(FEATURES, headers=headers)
    assert response.status_code == 200, response.text
    return [feature["name"] for feature in response.json()["features"]]


def test_flag_switched_on_through_one_instance__other_instance_serves_it_within_1s(
    two_instances: tuple[httpx.Client, httpx.Client],
) -> None:
    writer, reader = two_instances
    assert feature_names(reader) == []  # the reader now holds a snapshot to go stale
    flagkit.create_flag(writer, "mi-flag")
    flagkit.add_strategy(writer, "mi-flag")
    flagkit.switch(writer, "mi-flag")
    assert seen_within(lambda: _enabled(reader, "mi-flag") is True)


def test_segment_updated_through_one_instance__other_instance_serves_new_values_within_1s(
    two_instances: tuple[httpx.Client, httpx.Client],
) -> None:
    writer, reader = two_instances
    constraint = {"contextName": "userId", "operator": "IN", "values": ["alice"]}
    segment_id = flagkit.create_segment(writer, "mi-seg", [constraint])
    flagkit.create_flag(writer, "mi-seg-flag")
    flagkit.add_strategy(writer, "mi-seg-flag", segments=[segment_id])
    assert seen_within(lambda: _segment_values(reader, segment_id) == ["alice"])
    flagkit.update_segment(writer, segment_id, "mi-seg", [{**constraint, "values": ["bob"]}])
    assert seen_within(lambda: _segment_values(reader, segment_id) == ["bob"])


def test_client_token_deleted_through_one_instance__other_instance_refuses_it_within_1s(
    two_instances: tuple[httpx.Client, httpx.Client],
) -> None:
    writer, reader = two_instances
    secret = flagkit.create_token(writer, type="client", projects=["*"], environment="development")
    token = {"Authorization": secret}
    assert reader.get(FEATURES, headers=token).status_code == 200  # now cached by the reader
    assert reader.get(FEATURES, headers=token).status_code == 200
    response = writer.delete(f"/api/admin/api-tokens/{secret}", headers=ADMIN)
    assert response.status_code == 200
    assert seen_within(lambda: reader.get(FEATURES, headers=token).status_code == 401)


def test_flag_switched_off_through_one_instance__other_frontend_api_drops_it_within_1s(
    two_instances: tuple[httpx.Client, httpx.Client],
) -> None:
    writer, reader = two_instances
    flagkit.create_flag(writer, "mi-front")
    flagkit.add_strategy(writer, "mi-front")
    flagkit.switch(writer, "mi-front")
    assert seen_within(lambda: _toggles(reader) == ["mi-front"])
    flagkit.switch(writer, "mi-front", on=False)
    assert seen_within(lambda: _toggles(reader) == [])


def test_same_instance__write_then_read__served_at_once(
    two_instances: tuple[httpx.Client, httpx.Client],
) -> None:
    writer, _ = two_instances
    assert feature_names(writer) == []
    flagkit.create_flag(writer, "mi-own")
    assert feature_names(writer) == ["mi-own"]
    secret = flagkit.create_token(writer, type="client", projects=["*"], environment="development")
    assert writer.get(FEATURES, headers={"Authorization": secret}).status_code == 200
    assert writer.delete(f"/api/admin/api-tokens/{secret}", headers=ADMIN).status_code == 200
    assert writer.get(FEATURES, headers={"Authorization": secret}).status_code == 401


def test_revision__event_committed_below_the_top__revision_moves(database_url: str) -> None:
    # On PostgreSQL a transaction holding a lower event id can commit after a higher one.
    engine = create_db_engine(database_url)
    row: dict[str, Any] = {"type": "x", "created_by": "t", "created_at": utcnow(), "tags": []}
    try:
        with engine.begin() as conn:
            conn.execute(insert(events).values(id=1_000_000, **row))
        with engine.connect() as conn:
            before = read_revision(conn)
        with engine.begin() as conn:
            conn.execute(insert(events).values(id=999_990, **row))
        with engine.connect() as conn:
            after = read_revision(conn)
    finally:
        engine.dispose()
    assert before.top == after.top == 1_000_000
    assert after != before


def _enabled(http: httpx.Client, name: str) -> bool | None:
    for feature in http.get(FEATURES, headers=CLIENT).json()["features"]:
        if feature["name"] == name:
            return bool(feature["enabled"])
    return None


def _segment_values(http: httpx.Client, segment_id: int) -> list[str] | None:
    body = http.get(FEATURES, headers=SEGMENTS_MODE).json()
    for segment in body.get("segments", []):
        if segment["id"] == segment_id:
            return list(segment["constraints"][0]["values"])
    return None


def _toggles(http: httpx.Client) -> list[str]:
    response = http.get("/api/frontend", headers=FRONTEND)
    assert response.status_code == 200, response.text
    return [toggle["name"] for toggle in response.json()["toggles"]]
