"""Writes that cannot forget (leash.api.write): inside a route handler a write outside the unit
of work is refused, and a unit of work that changes what SDKs see must record it."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from sqlalchemy import Engine, func, select

from conftest import make_settings
from leash import changelog
from leash.api.write import IN_HANDLER, guard, unit_of_work
from leash.db import create_db_engine
from leash.errors import UnguardedWrite, UnrecordedWrite
from leash.projects.models import projects
from support import insert_project


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_db_engine(make_settings(database_url).database_url)
    guard(engine)
    yield engine
    engine.dispose()


class State(SimpleNamespace):
    def __init__(self, engine: Engine) -> None:
        super().__init__(db=engine, refreshed=0, event_listeners=[])

    def changed(self) -> None:
        self.refreshed += 1


def _project_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(projects)).scalar_one())


def test_write_in_a_handler__outside_the_unit_of_work__refused_nothing_stored(
    engine: Engine,
) -> None:
    before = _project_count(engine)
    token = IN_HANDLER.set(True)
    try:
        with pytest.raises(UnguardedWrite), engine.begin() as conn:
            insert_project(conn, project="uow-unguarded", environments=())
    finally:
        IN_HANDLER.reset(token)
    assert _project_count(engine) == before


def test_write_outside_a_handler__not_watched(engine: Engine) -> None:
    # Bootstrap, the revision watcher's heartbeats, tests: not routes.
    before = _project_count(engine)
    with engine.begin() as conn:
        insert_project(conn, project="uow-background", environments=())
    assert _project_count(engine) == before + 1


def test_unit_of_work__change_without_event_or_change_row__refused_and_rolled_back(
    engine: Engine,
) -> None:
    state = State(engine)
    before = _project_count(engine)
    with pytest.raises(UnrecordedWrite), unit_of_work(state, refresh=True) as conn:
        insert_project(conn, project="uow-unrecorded", environments=())
    assert (_project_count(engine), state.refreshed) == (before, 0)


def test_unit_of_work__change_with_its_change_row__committed_then_refreshed(
    engine: Engine,
) -> None:
    state = State(engine)
    before = _project_count(engine)
    with unit_of_work(state, refresh=True) as conn:
        insert_project(conn, project="uow-recorded", environments=())
        changelog.note(conn)
    assert (_project_count(engine), state.refreshed) == (before + 1, 1)


def test_unit_of_work__nothing_written__no_refresh(engine: Engine) -> None:
    state = State(engine)
    with unit_of_work(state, refresh=True) as conn:
        conn.execute(select(func.count()).select_from(projects))
    assert state.refreshed == 0


def test_unit_of_work__write_sdks_never_see__committed_without_refresh(engine: Engine) -> None:
    state = State(engine)
    before = _project_count(engine)
    with unit_of_work(state, refresh=False) as conn:
        insert_project(conn, project="uow-quiet", environments=())
    assert (_project_count(engine), state.refreshed) == (before + 1, 0)


def test_unit_of_work__markers__do_not_outlive_it_on_the_pooled_connection(
    engine: Engine,
) -> None:
    state = State(engine)
    with unit_of_work(state, refresh=False) as conn:
        insert_project(conn, project="uow-first", environments=())
    token = IN_HANDLER.set(True)
    try:
        with pytest.raises(UnguardedWrite), engine.begin() as conn:
            insert_project(conn, project="uow-after", environments=())
    finally:
        IN_HANDLER.reset(token)
