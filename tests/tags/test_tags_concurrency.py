"""Tags under concurrency: a new tag given to two flags at once is made once; a tag deleted
while a flag is being tagged with it untags that flag for SDKs too."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, text

import flagkit
from leash.changelog import changes
from leash.config import Settings
from leash.db import create_db_engine
from leash.events.models import events
from leash.features.models import feature_tags
from leash.identity import SYSTEM_ACTOR
from leash.tags import service
from leash.tags.schemas import Tag
from support import ADMIN


def test_add_tag__same_new_tag_to_two_flags_at_once__made_once(client: TestClient) -> None:
    rounds = 6
    for name in ("left", "right"):
        flagkit.create_flag(client, name)
    barrier = threading.Barrier(2)

    def tag(args: tuple[str, str]) -> int:
        flag, value = args
        barrier.wait()
        response = client.post(
            f"/api/admin/features/{flag}/tags",
            headers=ADMIN,
            json={"type": "simple", "value": value},
        )
        status: int = response.status_code
        return status

    with ThreadPoolExecutor(max_workers=2) as pool:
        for i in range(rounds):
            assert list(pool.map(tag, [("left", f"new-{i}"), ("right", f"new-{i}")])) == [201, 201]
    listed = client.get("/api/admin/tags/simple", headers=ADMIN).json()["tags"]
    assert sorted(t["value"] for t in listed) == [f"new-{i}" for i in range(rounds)]
    db: Engine = client.app.state.db  # type: ignore[attr-defined]
    with db.connect() as conn:
        created = conn.execute(
            select(func.count()).select_from(events).where(events.c.type == "tag-created")
        ).scalar_one()
    assert created == rounds


def _wait_for_a_lock_wait(engine: Engine, *, within: float = 10.0) -> None:
    """Until another session of this database waits on a lock (a condition, not a timing)."""
    deadline = time.monotonic() + within
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            if conn.execute(query).scalar_one() > 0:
                return
        time.sleep(0.01)
    raise AssertionError("no session waited on a lock")


def test_delete_tag__while_a_flag_is_being_tagged__that_flag_noted_for_sdks(
    client: TestClient, settings: Settings
) -> None:
    if not settings.database_url.startswith("postgres"):
        pytest.skip("SQLite runs one writer at a time: no interleaving to test")
    flagkit.create_flag(client, "racing")
    made = client.post("/api/admin/tags", headers=ADMIN, json={"type": "simple", "value": "racy"})
    assert made.status_code == 201
    engine = create_db_engine(settings.database_url)
    try:
        with engine.connect() as tagger:
            transaction = tagger.begin()
            body: Tag = {"type": "simple", "value": "racy"}
            service.add_flag_tag(
                tagger, name="racing", project="default", body=body, actor=SYSTEM_ACTOR
            )

            def delete() -> None:
                with engine.begin() as conn:
                    service.delete_tag(conn, type="simple", value="racy", actor=SYSTEM_ACTOR)

            deleter = threading.Thread(target=delete)
            deleter.start()
            _wait_for_a_lock_wait(engine)
            transaction.commit()
            deleter.join(10)
            assert not deleter.is_alive()
        with engine.connect() as conn:
            noted = conn.execute(
                select(func.count()).select_from(changes).where(changes.c.feature_name == "racing")
            ).scalar_one()
            left = conn.execute(
                select(func.count())
                .select_from(feature_tags)
                .where(feature_tags.c.feature_name == "racing")
            ).scalar_one()
    finally:
        engine.dispose()
    assert left == 0
    # Its creation, its tagging, and the delete that untagged it (2 without the delete's lock:
    # it would list the tagged flags before the tagging committed).
    assert noted == 3
