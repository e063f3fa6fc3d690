"""The change log (leash.changelog) is pruned behind its readers and stays bounded under a long
write load; a reader that has not read yet keeps its rows, a dead one holds nothing back, and a
process that was not live reloads in full before it trusts the log again."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, update

import flagkit
from conftest import make_settings
from leash import changelog
from leash.app import create_app
from leash.changelog import change_readers, changes
from leash.db import create_db_engine
from leash.db.base import utcnow
from leash.revision import SILENCE_CLOCK, STALE_SECONDS, RevisionWatcher, read_revision
from support import CLIENT

WINDOW = changelog.WINDOW
ROUND = 500


class Clock:
    """A clock the test moves; it starts at the real one, which apps' first heartbeat used."""

    def __init__(self) -> None:
        self.now = SILENCE_CLOCK()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_db_engine(make_settings(database_url).database_url)
    yield engine
    engine.dispose()


def _write(engine: Engine, count: int, *, feature_name: str = "prune-filler") -> int:
    """`count` change rows in one transaction; returns the log's top id."""
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(
            changes.insert(),
            [{"feature_name": feature_name, "segment_id": None, "created_at": now}] * count,
        )
        return int(conn.execute(select(func.max(changes.c.id))).scalar_one())


def _rows(engine: Engine) -> tuple[int, int | None]:
    with engine.connect() as conn:
        count, lowest = conn.execute(select(func.count(), func.min(changes.c.id))).one()
    return int(count), lowest


def _reader(engine: Engine, applied: dict[str, int | None]) -> RevisionWatcher:
    """A process that has applied `applied["id"]`, heartbeating and pruning at every poll."""
    return RevisionWatcher(
        engine,
        listeners=[],
        applied=lambda: applied["id"],
        heartbeat_seconds=0,
        prune_seconds=0,
        clock=Clock(),
    )


def _age(engine: Engine, watcher: RevisionWatcher, *, seconds: float) -> None:
    """Move a reader's last heartbeat `seconds` into the past, as the database sees it."""
    with engine.begin() as conn:
        conn.execute(
            update(change_readers)
            .where(change_readers.c.instance_id == watcher.instance_id)
            .values(heartbeat_ms=change_readers.c.heartbeat_ms - int(seconds * 1000))
        )


@pytest.fixture
def app_client(database_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(database_url))) as client:
        watcher: RevisionWatcher = client.app.state.revision_watcher  # type: ignore[attr-defined]
        # Driven by hand below: every poll heartbeats and prunes.
        watcher.stop()
        watcher.heartbeat_seconds = 0
        watcher.prune_seconds = 0
        watcher.clock = Clock()
        yield client


def _watcher(client: TestClient) -> RevisionWatcher:
    watcher: RevisionWatcher = client.app.state.revision_watcher  # type: ignore[attr-defined]
    return watcher


def _served(client: TestClient, flag: str) -> Any:
    response = client.get("/api/client/features", headers=CLIENT)
    assert response.status_code == 200, response.text
    return next((f["enabled"] for f in response.json()["features"] if f["name"] == flag), None)


def test_prune__long_write_load__changes_table_stays_bounded(
    app_client: TestClient, database_url: str
) -> None:
    engine = app_client.app.state.db  # type: ignore[attr-defined]
    assert _served(app_client, "prune-flag") is None  # a served view that follows the log
    counts = []
    for _ in range(12):
        _write(engine, ROUND)
        _watcher(app_client).poll_once()
        counts.append(_rows(engine)[0])

    # Everything the process applied, but the WINDOW below its top (read_mark reads it).
    assert counts == [500, 1000] + [WINDOW + 1] * 10
    # Writes through the API after pruning are still followed, incrementally.
    flagkit.create_flag(app_client, "prune-flag")
    flagkit.add_strategy(app_client, "prune-flag")
    flagkit.switch(app_client, "prune-flag")
    assert _served(app_client, "prune-flag") is True


def test_prune__rows_inside_the_window__revision_unchanged(engine: Engine) -> None:
    applied: dict[str, int | None] = {"id": None}
    reader = _reader(engine, applied)
    applied["id"] = _write(engine, 3 * WINDOW)
    with engine.connect() as conn:
        before = read_revision(conn)

    reader.poll_once()

    with engine.connect() as conn:
        assert read_revision(conn) == before
    assert _rows(engine) == (WINDOW + 1, 2 * WINDOW)


def test_prune__instance_that_has_not_read_yet__keeps_its_rows(engine: Engine) -> None:
    behind: dict[str, int | None] = {"id": _write(engine, 2 * WINDOW)}
    ahead: dict[str, int | None] = {"id": None}
    slow, fast = _reader(engine, behind), _reader(engine, ahead)
    slow.poll_once()  # live, at id 2000
    ahead["id"] = _write(engine, 5 * WINDOW)

    fast.poll_once()
    slow.poll_once()

    # The slow reader reads from its top minus WINDOW: all of that is still there.
    assert _rows(engine) == (6 * WINDOW + 1, WINDOW)
    behind["id"] = ahead["id"]
    slow.poll_once()
    assert _rows(engine) == (WINDOW + 1, 6 * WINDOW)


def test_prune__dead_instance__does_not_hold_pruning(engine: Engine) -> None:
    dead = _reader(engine, {"id": _write(engine, WINDOW)})
    dead.poll_once()
    live: dict[str, int | None] = {"id": _write(engine, 4 * WINDOW)}
    _age(engine, dead, seconds=changelog.LIVENESS_SECONDS + 1)

    _reader(engine, live).poll_once()

    assert _rows(engine) == (WINDOW + 1, 4 * WINDOW)
    # Gone for a day: forgotten.
    _age(engine, dead, seconds=changelog.FORGET_READER_SECONDS)
    _reader(engine, live).poll_once()
    with engine.connect() as conn:
        ids = conn.execute(select(change_readers.c.instance_id)).scalars().all()
    assert dead.instance_id not in ids


def test_prune__no_live_reader__nothing_pruned(engine: Engine) -> None:
    _write(engine, 3 * WINDOW)
    with engine.begin() as conn:
        assert changelog.prune(conn) == 0
    assert _rows(engine) == (3 * WINDOW, 1)


def test_process_not_live_past_the_limit__full_reload_before_trusting_the_log(
    database_url: str,
) -> None:
    """Without the reload, the paused process would follow the log from where it stopped,
    miss the pruned switch, and serve the flag off for good."""
    settings = make_settings(database_url)
    with TestClient(create_app(settings)) as paused, TestClient(create_app(settings)) as other:
        for client in (paused, other):
            watcher = _watcher(client)
            watcher.stop()
            watcher.heartbeat_seconds = 0
            watcher.prune_seconds = 0
            watcher.clock = Clock()
        flagkit.create_flag(other, "prune-paused")
        flagkit.add_strategy(other, "prune-paused")
        _watcher(paused).poll_once()
        assert _served(paused, "prune-paused") is False

        # `paused` stops (SIGSTOP, a long outage): the others see no heartbeat from it.
        flagkit.switch(other, "prune-paused")
        engine = other.app.state.db  # type: ignore[attr-defined]
        _write(engine, 2 * WINDOW)
        _age(engine, _watcher(paused), seconds=changelog.LIVENESS_SECONDS + 1)
        _watcher(other).poll_once()  # prunes the switch's row: nobody live needs it

        clock = _watcher(paused).clock
        assert isinstance(clock, Clock)
        clock.now += STALE_SECONDS + 1
        _watcher(paused).poll_once()

        assert _watcher(paused).resyncs == 1
        assert _served(paused, "prune-paused") is True


def test_watcher__before_its_first_heartbeat__not_live(engine: Engine) -> None:
    watcher = _reader(engine, {"id": None})
    assert watcher.live() is False
    watcher.poll_once()
    assert (watcher.live(), watcher.resyncs) == (True, 1)


def test_watcher__heartbeat_cannot_be_written__still_follows_the_revision(
    engine: Engine,
) -> None:
    """A database that can be read but not written (a full disk, a read-only role): SDK views
    keep following other processes' writes, as full rebuilds since the log is not trusted."""
    seen: list[Any] = []
    watcher = RevisionWatcher(
        engine,
        listeners=[seen.append],
        applied=lambda: None,
        heartbeat_seconds=0,
        prune_seconds=3600,
        clock=Clock(),
    )
    watcher.poll_once()
    with engine.begin() as conn:
        conn.execute(change_readers.delete())
    change_readers.drop(engine)
    try:
        clock = watcher.clock
        assert isinstance(clock, Clock)
        clock.now += STALE_SECONDS + 1
        top = _write(engine, 1)
        watcher.poll_once()
        assert watcher.live() is False
        assert [revision.changes_top for revision in seen] == [top - 1, top]
    finally:
        change_readers.create(engine)
