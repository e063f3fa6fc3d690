"""One flag that cannot be rendered or compiled is isolated, never the others with it: a kill
switch turned off after it is still served, and /health names the flag (issue 11, item 5).

The bad rows are written with SQL, as a database restored from elsewhere (or an older leash
that accepted them) would hold them; the admin API refuses such parameters at write time."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, literal_column, update

import flagkit
from conftest import make_settings
from leash import changelog
from leash.app import create_app
from leash.client_api import snapshot
from leash.features.models import feature_strategies
from leash.health import PARTIAL_MESSAGE, STALE_MESSAGE
from support import CLIENT, FRONTEND

FEATURES = "/api/client/features"
HUGE_ROLLOUT = "1" * 4400  # past the 4,300 digits int() takes
# yggdrasil cannot compile a rollout above 100%: the whole flag fails, as a broken one would.
UNCOMPILABLE_ROLLOUT = "150"


def _flag(client: TestClient, name: str) -> str:
    flagkit.create_flag(client, name)
    strategy = flagkit.add_strategy(client, name)
    flagkit.switch(client, name)
    return strategy


def _store(db: Engine, *, flag: str, strategy: str, **columns: Any) -> None:
    """Write a strategy's columns as SQL, and log the change as any write to the flag does."""
    with db.begin() as conn:
        conn.execute(
            update(feature_strategies).where(feature_strategies.c.id == strategy).values(**columns)
        )
        changelog.note(conn, feature_name=flag)


def literal_json(text: str) -> Any:
    """JSON text as the database takes it, bypassing leash's serializer."""
    return literal_column(f"'{text}'")


def _served(client: TestClient) -> dict[str, bool]:
    response = client.get(FEATURES, headers=CLIENT)
    assert response.status_code == 200, response.text
    return {feature["name"]: feature["enabled"] for feature in response.json()["features"]}


def _frontend(client: TestClient) -> tuple[list[str], list[str]]:
    got = client.get("/api/frontend", headers=FRONTEND)
    posted = client.post("/api/frontend", headers=FRONTEND, json={"context": {"userId": "u1"}})
    assert (got.status_code, posted.status_code) == (200, 200), (got.text, posted.text)
    return (
        [toggle["name"] for toggle in got.json()["toggles"]],
        [toggle["name"] for toggle in posted.json()["toggles"]],
    )


def _poisoned_rollout(client: TestClient, rollout: str = UNCOMPILABLE_ROLLOUT) -> str:
    """snap-a gets a rollout the engine cannot use; snap-b stays fine. Returns snap-a's
    strategy."""
    strategy = _flag(client, "snap-a")
    _flag(client, "snap-b")
    assert _frontend(client) == (["snap-a", "snap-b"], ["snap-a", "snap-b"])
    _store(
        client.app.state.db,  # type: ignore[attr-defined]
        flag="snap-a",
        strategy=strategy,
        parameters=_rollout(rollout),
    )
    return strategy


def _rollout(percent: str) -> dict[str, str]:
    return {"rollout": percent, "stickiness": "default", "groupId": "snap-a"}


COMPILE_FAILED = {
    "health": "DEGRADED",
    "snapshot": "partial",
    "flags": [{"name": "snap-a", "environment": "development", "failed": "compile"}],
    "message": PARTIAL_MESSAGE,
}


def test_rollout_past_int_digits__kill_switch_after_it__served_everywhere(
    client: TestClient,
) -> None:
    _poisoned_rollout(client, HUGE_ROLLOUT)
    flagkit.switch(client, "snap-b", on=False)
    assert _served(client) == {"snap-a": True, "snap-b": False}
    # Backend SDKs get the flag as stored, to evaluate it themselves as with Unleash.
    stored = client.get(f"{FEATURES}/snap-a", headers=CLIENT).json()
    assert stored["strategies"][0]["parameters"]["rollout"] == HUGE_ROLLOUT
    # As Rust's usize, the rollout does not parse: its strategy is false, the flag compiles.
    assert _frontend(client) == ([], [])
    assert client.get("/health").json() == {"health": "GOOD"}
    flagkit.switch(client, "snap-b")
    assert _frontend(client) == (["snap-b"], ["snap-b"])


def test_rollout_above_100__kill_switch_after_it__served_everywhere_and_on_health(
    client: TestClient,
) -> None:
    _poisoned_rollout(client)
    flagkit.switch(client, "snap-b", on=False)
    assert _served(client) == {"snap-a": True, "snap-b": False}
    stored = client.get(f"{FEATURES}/snap-a", headers=CLIENT).json()
    assert stored["strategies"][0]["parameters"]["rollout"] == UNCOMPILABLE_ROLLOUT
    # The frontend API cannot evaluate it: off, and the kill switch is served.
    assert _frontend(client) == ([], [])
    health = client.get("/health")
    assert (health.status_code, health.json()) == (200, COMPILE_FAILED)
    flagkit.switch(client, "snap-b")
    assert _frontend(client) == (["snap-b"], ["snap-b"])


def test_rollout_above_100__fresh_process__serves_the_other_flags(
    client: TestClient, database_url: str
) -> None:
    _poisoned_rollout(client)
    with TestClient(create_app(make_settings(database_url))) as fresh:
        assert _served(fresh) == {"snap-a": True, "snap-b": True}
        assert _frontend(fresh) == (["snap-b"], ["snap-b"])
        health = fresh.get("/health")
        assert (health.status_code, health.json()) == (200, COMPILE_FAILED)


def test_rollout_fixed_again__flag_back_in_frontend__health_good(client: TestClient) -> None:
    strategy = _poisoned_rollout(client)
    flagkit.switch(client, "snap-b", on=False)  # a write: this process rebuilds before answering
    assert _frontend(client) == ([], [])
    db: Engine = client.app.state.db  # type: ignore[attr-defined]
    _store(db, flag="snap-a", strategy=strategy, parameters=_rollout("100"))
    flagkit.switch(client, "snap-b")
    assert _frontend(client) == (["snap-a", "snap-b"], ["snap-a", "snap-b"])
    assert client.get("/health").json() == {"health": "GOOD"}


def test_strategy_rows_that_cannot_render__flag_left_out__others_served(
    client: TestClient,
) -> None:
    strategy = _flag(client, "snap-a")
    _flag(client, "snap-b")
    assert _served(client) == {"snap-a": True, "snap-b": True}
    _store(
        client.app.state.db,  # type: ignore[attr-defined]
        flag="snap-a",
        strategy=strategy,
        parameters=["rollout"],  # not an object: this flag's client-features body cannot be built
    )
    flagkit.switch(client, "snap-b", on=False)
    assert _served(client) == {"snap-b": False}
    inline = client.get(FEATURES, headers={**CLIENT, "Unleash-Client-Spec": "4.2.0"})
    assert [feature["name"] for feature in inline.json()["features"]] == ["snap-b"]
    assert client.get(f"{FEATURES}/snap-a", headers=CLIENT).status_code == 404
    assert _frontend(client) == ([], [])
    health = client.get("/health")
    assert (health.status_code, health.json()) == (
        200,
        {
            "health": "DEGRADED",
            "snapshot": "partial",
            "flags": [{"name": "snap-a", "environment": "development", "failed": "render"}],
            "message": PARTIAL_MESSAGE,
        },
    )


def test_rebuild_fails_whole__health_says_stale__good_after_the_next_rebuild(
    client: TestClient,
) -> None:
    strategy = _flag(client, "snap-a")
    _flag(client, "snap-b")
    assert _served(client) == {"snap-a": True, "snap-b": True}
    db: Engine = client.app.state.db  # type: ignore[attr-defined]
    # A number no JSON reader takes (beyond a double): the environment cannot be read at all.
    with db.begin() as conn:
        conn.execute(
            update(feature_strategies)
            .where(feature_strategies.c.id == strategy)
            .values(parameters=literal_json('{"rollout": 1e999}'))
        )
        changelog.note(conn, feature_name="snap-a")
    flagkit.switch(client, "snap-b", on=False)
    assert _served(client) == {"snap-a": True, "snap-b": True}  # the view before it
    health = client.get("/health")
    assert (health.status_code, health.json()) == (
        200,
        {
            "health": "DEGRADED",
            "snapshot": "stale",
            "flags": [],
            "message": STALE_MESSAGE.format(error="JSONDecodeError"),
        },
    )
    _store(db, flag="snap-a", strategy=strategy, parameters=_rollout("100"))
    flagkit.switch(client, "snap-b")
    assert _served(client) == {"snap-a": True, "snap-b": True}
    assert client.get("/health").json() == {"health": "GOOD"}


def test_flag_failing_to_compile__unrelated_write__still_on_health(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No query is compiled again before the swap: the failure is known only from the old view.
    monkeypatch.setattr(snapshot, "EAGER_RERENDERS", 0)
    _poisoned_rollout(client)
    flagkit.switch(client, "snap-b", on=False)
    assert _frontend(client) == ([], [])
    assert client.get("/health").json() == COMPILE_FAILED
    flagkit.create_flag(client, "snap-c")
    assert client.get("/health").json() == COMPILE_FAILED


def test_rebuild_failed__revision_unchanged__retried(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshots = client.app.state.client_snapshots  # type: ignore[attr-defined]
    _flag(client, "snap-a")
    build = snapshots._build

    def failing(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the database answered nonsense")

    monkeypatch.setattr(snapshots, "_build", failing)
    snapshots.refresh()
    assert client.get("/health").json()["snapshot"] == "stale"
    monkeypatch.setattr(snapshots, "_build", build)
    monkeypatch.setattr(snapshot, "REBUILD_RETRY_SECONDS", 0.0)
    snapshots.on_revision(snapshots.view.revision)
    assert client.get("/health").json() == {"health": "GOOD"}
