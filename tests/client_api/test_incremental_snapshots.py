"""Incremental rebuilds: after a change only the flags and segments the change log names are
reloaded, and the bodies served are byte for byte those a full rebuild gives; a write with no
event in Unleash (segments set on a strategy in bulk) still reaches other instances."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from test_multi_instance import SEGMENTS_MODE, seen_within

import flagkit
from conftest import make_settings
from leash import changelog
from leash.client_api.rendering import Query
from leash.client_api.snapshot import ClientSnapshots
from leash.frontend_api.service import toggles_body
from live import live_server
from support import ADMIN

FLAGS = "/api/admin/projects/default/features"
DEV = f"{FLAGS}/{{flag}}/environments/development/strategies"


def query(
    *,
    environment: str = "development",
    projects: tuple[str, ...] | None = None,
    prefix: str | None = None,
    tags: tuple[tuple[str, str], ...] = (),
    inline: bool = False,
) -> Query:
    return Query(
        environment=environment,
        projects=projects,
        name_prefix=prefix,
        tags=tags,
        inline_segments=inline,
    )


QUERIES = [
    query(),
    query(inline=True),
    query(projects=("default",), prefix="inc-a"),
    query(tags=(("simple", "blue"),)),
    query(environment="production"),
]
FRONTEND_QUERY = query()
CONTEXTS: list[dict[str, Any]] = [
    {"userId": "alice", "environment": "development"},
    {"userId": "bob", "environment": "development", "properties": {"plan": "pro"}},
]


def _in(context: str, *values: str) -> dict[str, Any]:
    return {"contextName": context, "operator": "IN", "values": list(values)}


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response


def _bodies(snapshots: ClientSnapshots) -> dict[Query, bytes]:
    return {q: snapshots.get(q).body for q in QUERIES}


def _toggles(snapshots: ClientSnapshots) -> list[bytes]:
    compiled = snapshots.compiled(FRONTEND_QUERY)
    return [toggles_body(compiled, context) for context in CONTEXTS]


def test_mixed_changes__incremental_rebuilds__same_bytes_as_full_rebuilds(
    client: TestClient,
) -> None:
    db: Engine = client.app.state.db  # type: ignore[attr-defined]
    first = flagkit.create_segment(client, "inc-s1", [_in("userId", "alice")])
    second = flagkit.create_segment(client, "inc-s2", [_in("plan", "pro")])
    third = flagkit.create_segment(client, "inc-s3", [_in("userId", "carol")])
    for name in ("inc-a1", "inc-a2", "inc-b1"):
        flagkit.create_flag(client, name, description=f"{name} description")
    flagkit.add_tag(db, "inc-a2", "simple", "blue")
    a1_strategy = flagkit.add_strategy(client, "inc-a1", segments=[first])
    flagkit.add_strategy(client, "inc-a2", segments=[first, second], constraints=[_in("x", "1")])
    b1_strategy = flagkit.add_strategy(client, "inc-b1")
    for name in ("inc-a1", "inc-a2", "inc-b1"):
        flagkit.switch(client, name)

    served = ClientSnapshots(db)  # no revision watcher: rebuilt only when told below
    _bodies(served)
    _toggles(served)
    steps: list[Callable[[], object]] = [
        lambda: flagkit.create_flag(client, "inc-a3"),
        lambda: flagkit.add_strategy(client, "inc-a3", segments=[third]),
        lambda: flagkit.switch(client, "inc-a3"),
        lambda: flagkit.update_segment(client, first, "inc-s1", [_in("userId", "bob", "dan")]),
        lambda: _ok(
            client.post(
                "/api/admin/segments/strategies",
                headers=ADMIN,
                json={
                    "projectId": "default",
                    "strategyId": b1_strategy,
                    "environmentId": "development",
                    "segmentIds": [second, third],
                },
            ),
            201,
        ),
        lambda: _ok(
            client.put(
                f"{DEV.format(flag='inc-a1')}/{a1_strategy}",
                headers=ADMIN,
                json={
                    "name": "flexibleRollout",
                    "constraints": [_in("plan", "pro")],
                    "parameters": {"rollout": "50", "stickiness": "userId", "groupId": "g"},
                    "segments": [second],
                },
            )
        ),
        lambda: flagkit.create_segment(client, "inc-s4", [_in("userId", "erin")]),
        lambda: flagkit.switch(client, "inc-a2", on=False),
        lambda: flagkit.add_strategy(client, "inc-a2", environment="production"),
        lambda: flagkit.switch(client, "inc-a2", environment="production"),
        lambda: _ok(
            client.delete(f"{DEV.format(flag='inc-a1')}/{a1_strategy}", headers=ADMIN)
        ),
        lambda: _ok(client.delete(f"{FLAGS}/inc-b1", headers=ADMIN), 202),
        lambda: flagkit.create_flag(client, "inc-0-first"),
    ]
    for step in steps:
        step()
        served.refresh()
        fresh = ClientSnapshots(db)
        assert _bodies(served) == _bodies(fresh)
        assert _toggles(served) == _toggles(fresh)
    assert served.rebuilds == {"full": 0, "incremental": len(steps)}
    features = [f["name"] for f in served.get(query()).features.values()]
    assert features == ["inc-0-first", "inc-a1", "inc-a2", "inc-a3"]
    assert [s["id"] for s in served.get(query()).segments] == [first, second, third]


def test_change_of_unknown_reach__full_rebuild(client: TestClient) -> None:
    db: Engine = client.app.state.db  # type: ignore[attr-defined]
    flagkit.create_flag(client, "inc-unknown")
    served = ClientSnapshots(db)
    served.get(query())
    with db.begin() as conn:
        changelog.note(conn)
    served.refresh()
    assert served.rebuilds == {"full": 1, "incremental": 0}


def test_write_in_process_that_logged_nothing__full_rebuild(client: TestClient) -> None:
    db: Engine = client.app.state.db  # type: ignore[attr-defined]
    flagkit.create_flag(client, "inc-silent")
    served = ClientSnapshots(db)
    served.get(query())
    flagkit.add_tag(db, "inc-silent", "simple", "green")  # written with no change logged
    served.invalidate()
    assert served.rebuilds == {"full": 1, "incremental": 0}
    assert served.get(query(tags=(("simple", "green"),))).features.keys() == {"inc-silent"}


@pytest.fixture
def two_instances(database_url: str) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    with ExitStack() as stack:
        urls = [stack.enter_context(live_server(make_settings(database_url))) for _ in range(2)]
        first, second = (stack.enter_context(httpx.Client(base_url=url)) for url in urls)
        yield first, second


def test_segments_set_in_bulk_through_one_instance__other_instance_serves_them_within_1s(
    two_instances: tuple[httpx.Client, httpx.Client],
) -> None:
    writer, reader = two_instances
    segment_id = flagkit.create_segment(writer, "inc-bulk", [_in("userId", "alice")])
    flagkit.create_flag(writer, "inc-bulk-flag")
    strategy_id = flagkit.add_strategy(writer, "inc-bulk-flag")
    assert seen_within(lambda: _strategy_segments(reader) == [])
    response = writer.post(
        "/api/admin/segments/strategies",
        headers=ADMIN,
        json={
            "projectId": "default",
            "strategyId": strategy_id,
            "environmentId": "development",
            "segmentIds": [segment_id],
        },
    )
    assert response.status_code == 201, response.text
    assert seen_within(lambda: _strategy_segments(reader) == [segment_id])


def _strategy_segments(http: httpx.Client) -> list[int] | None:
    response = http.get("/api/client/features", headers=SEGMENTS_MODE)
    assert response.status_code == 200, response.text
    for feature in response.json()["features"]:
        if feature["name"] == "inc-bulk-flag":
            return list(feature["strategies"][0].get("segments", []))
    return None

