"""The per-query render cache is bounded by bytes (gzip copies included), least recently used
out first, and a write renders again only the queries served most recently; the others are
rendered when asked for (issue 11, item 14)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

import flagkit
from conftest import make_settings
from leash.app import create_app
from leash.client_api.compiled import COMPILED_BYTES_PER_BODY_BYTE
from leash.client_api.render_cache import RenderCache
from leash.client_api.rendering import Query
from leash.client_api.snapshot import EAGER_RERENDERS, ClientSnapshots
from leash.client_api.view import BODY, COMPILED
from leash.config import Settings
from support import CLIENT, FRONTEND

FEATURES = "/api/client/features"
QUERIES = 20


# -- the cache alone ---------------------------------------------------------------------


def test_render_cache__over_budget__least_recently_used_out_first() -> None:
    cache = RenderCache(budget=100)
    for key in ("a", "b", "c"):
        cache.put((BODY, key), key.upper(), cost=30)
    assert cache.get((BODY, "a")) == "A"  # "b" is now the least recently used
    cache.put((BODY, "d"), "D", cost=30)
    assert (cache.bytes, len(cache), cache.evictions) == (90, 3, 1)
    assert cache.get((BODY, "b")) is None
    assert [query for query, _ in cache.recent(BODY, 10)] == ["d", "a", "c"]


def test_render_cache__entry_grows__counted_and_older_ones_leave() -> None:
    cache = RenderCache(budget=100)
    cache.put((BODY, "a"), "A", cost=40)
    cache.put((BODY, "b"), "B", cost=40)
    cache.recharge((BODY, "b"), "B", cost=70)
    assert (cache.bytes, len(cache), cache.evictions) == (70, 1, 1)
    cache.recharge((BODY, "b"), "not the kept value", cost=1)
    assert cache.bytes == 70


def test_render_cache__one_entry_above_budget__kept_alone() -> None:
    cache = RenderCache(budget=100)
    cache.put((BODY, "a"), "A", cost=40)
    cache.put((COMPILED, "b"), "B", cost=150)
    assert (cache.bytes, len(cache), cache.get((COMPILED, "b"))) == (150, 1, "B")


def test_render_cache__key_taken__first_value_kept() -> None:
    cache = RenderCache(budget=100)
    assert cache.put((BODY, "a"), "first", cost=10) == "first"
    assert cache.put((BODY, "a"), "second", cost=10) == "first"
    assert (cache.bytes, len(cache)) == (10, 1)


def test_settings__render_cache_bytes__read_from_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Settings().leash_render_cache_bytes == 128 * 1024 * 1024
    monkeypatch.setenv("LEASH_RENDER_CACHE_BYTES", "4096")
    assert Settings().leash_render_cache_bytes == 4096


# -- served through the app --------------------------------------------------------------


def _project(index: int) -> str:
    return f"rc-{index:02d}"  # equal lengths: every query's body has the same size


def _ask(client: TestClient, index: int, *, gzip: bool = False) -> tuple[dict[str, bool], int]:
    """Flags served for query `index` (default plus a project of its own), and the length of
    the body as sent."""
    headers = {**CLIENT, "Accept-Encoding": "gzip" if gzip else "identity"}
    params = [("project", "default"), ("project", _project(index))]
    response = client.get(FEATURES, headers=headers, params=params)
    assert response.status_code == 200, response.text
    served = {feature["name"]: feature["enabled"] for feature in response.json()["features"]}
    return served, int(response.headers["content-length"])


def _query(index: int) -> Query:
    return Query(
        environment="development",
        projects=("default", _project(index)),
        name_prefix=None,
        tags=(),
        inline_segments=True,
    )


def _snapshots(client: TestClient) -> ClientSnapshots:
    found: ClientSnapshots = client.app.state.client_snapshots  # type: ignore[attr-defined]
    return found


def _flags(client: TestClient) -> None:
    for i in range(12):  # above gzip's 1 kB threshold
        flagkit.create_flag(client, f"rc-flag-{i:02d}", description="d" * 40)
    flagkit.switch(client, "rc-flag-00")


@pytest.fixture
def body_size(database_url: str) -> int:
    """The size of one query's body, measured on an app with the default budget."""
    with TestClient(create_app(make_settings(database_url))) as client:
        _flags(client)
        return _ask(client, 0)[1]


@pytest.fixture
def small(database_url: str, body_size: int) -> Iterator[TestClient]:
    """An app whose cache holds five bodies and their gzip copies, fewer than QUERIES."""
    settings = make_settings(database_url, leash_render_cache_bytes=5 * body_size)
    with TestClient(create_app(settings)) as client:
        # One view's cache is counted: a revision the watcher sees mid-test swaps in a new
        # view with a cache of its own (seen on a loaded machine, 14 evictions of 15). These
        # tests only read, so nothing needs the watcher.
        client.app.state.revision_watcher.stop()  # type: ignore[attr-defined]
        yield client


def test_distinct_queries_beyond_budget__cache_stays_within_it(
    small: TestClient, body_size: int
) -> None:
    for index in range(QUERIES):
        served, length = _ask(small, index)
        assert (served["rc-flag-00"], len(served), length) == (True, 12, body_size)
    cache = _snapshots(small).view.cache
    assert (cache.budget, cache.bytes, len(cache), cache.evictions) == (
        5 * body_size,
        5 * body_size,
        5,
        QUERIES - 5,
    )
    assert [query for query, _ in cache.recent(BODY, 10)] == [
        _query(index) for index in range(QUERIES - 1, QUERIES - 6, -1)
    ]
    # A query that left the cache is rendered again, the same bytes.
    assert _ask(small, 0) == ({**served}, body_size)


def test_gzip_copies__counted_in_the_budget(small: TestClient, body_size: int) -> None:
    cache = _snapshots(small).view.cache
    _, zipped = _ask(small, 0, gzip=True)
    assert zipped < body_size
    assert (cache.bytes, len(cache)) == (body_size + zipped, 1)
    costs = []
    for index in range(QUERIES):
        costs.append(body_size + _ask(small, index, gzip=True)[1])
    # Kept: the most recent queries whose bodies and gzip copies fit in the budget.
    kept = 0
    while kept < len(costs) and sum(costs[len(costs) - kept - 1 :]) <= 5 * body_size:
        kept += 1
    assert kept < 5
    assert (cache.bytes, len(cache)) == (sum(costs[len(costs) - kept :]), kept)


def test_compiled_engines__counted_as_a_multiple_of_their_body(client: TestClient) -> None:
    _flags(client)
    response = client.get("/api/frontend", headers=FRONTEND)
    assert [toggle["name"] for toggle in response.json()["toggles"]] == ["rc-flag-00"]
    cache = _snapshots(client).view.cache
    frontend = Query("development", None, None, (), False)
    body = _snapshots(client).view.body(frontend)
    assert body is not None
    assert (cache.bytes, len(cache)) == (
        len(body.body) + COMPILED_BYTES_PER_BODY_BYTE * len(body.body),
        2,
    )


def test_write__renders_again_only_the_most_recent_queries__others_when_asked(
    client: TestClient,
) -> None:
    _flags(client)
    for index in range(QUERIES):
        _ask(client, index)
    _ask(client, 0)  # the most recently used again
    snapshots = _snapshots(client)
    renders = snapshots.renders
    flagkit.switch(client, "rc-flag-00", on=False)
    assert snapshots.renders - renders == EAGER_RERENDERS
    eager = [0, *range(QUERIES - 1, QUERIES - EAGER_RERENDERS, -1)]
    assert [query for query, _ in snapshots.view.cache.recent(BODY, 100)] == [
        _query(index) for index in eager
    ]
    # Its author reads the write back, from the body rendered before the answer.
    assert _ask(client, 0)[0]["rc-flag-00"] is False
    assert snapshots.renders - renders == EAGER_RERENDERS
    # A query left for later is rendered when asked for, once, with the write in it.
    assert _ask(client, 1)[0]["rc-flag-00"] is False
    assert _ask(client, 1)[0]["rc-flag-00"] is False
    assert snapshots.renders - renders == EAGER_RERENDERS + 1
    fresh = ClientSnapshots(client.app.state.db)  # type: ignore[attr-defined]
    for index in (0, 1, 2):
        assert snapshots.get(_query(index)).body == fresh.get(_query(index)).body


def test_write__frontend_engines__only_the_most_recent_compiled_again(
    client: TestClient,
) -> None:
    _flags(client)
    secret = flagkit.create_token(
        client, type="frontend", projects=["default"], environment="development"
    )
    tokens = [{"Authorization": secret}]
    snapshots = _snapshots(client)
    for headers in [FRONTEND, *tokens]:
        client.get("/api/frontend", headers=headers)
    compiles = snapshots.compiles
    flagkit.switch(client, "rc-flag-01")
    assert snapshots.compiles - compiles == 2
    for headers in [FRONTEND, *tokens]:
        response = client.get("/api/frontend", headers=headers)
        assert [toggle["name"] for toggle in response.json()["toggles"]] == [
            "rc-flag-00",
            "rc-flag-01",
        ]
    assert snapshots.compiles - compiles == 2


def test_write__replaced_view_cache__freed_without_a_cyclic_collection(
    client: TestClient,
) -> None:
    import gc
    import weakref

    flagkit.create_flag(client, "freed")
    flagkit.add_strategy(client, "freed")
    gzip = {**CLIENT, "Accept-Encoding": "gzip"}
    assert client.get(FEATURES, headers=gzip).status_code == 200
    snapshots: ClientSnapshots = client.app.state.client_snapshots  # type: ignore[attr-defined]
    old_cache = weakref.ref(snapshots.view.cache)
    gc.disable()
    try:
        flagkit.switch(client, "freed")
        # Reference counting alone frees it: nothing of the old view points back at itself.
        assert old_cache() is None
    finally:
        gc.enable()
