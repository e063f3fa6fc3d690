"""PostgreSQL goes away under a running `leash serve`, then comes back.

Uses a private PostgreSQL cluster of its own (the machine's shared one is never stopped):
while it is down, SDKs keep getting the last good state from the client and frontend APIs,
admin calls get a 503 in Unleash's error body, /health says DEGRADED; once it is back, leash
recovers by itself, with no restart.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from leash_process import LeashProcess, PrivatePostgres, postgres_bindir

from support import ADMIN, CLIENT, FRONTEND

pytestmark = [pytest.mark.slow]

UNAVAILABLE = "The database is not available. Try again shortly."
SEGMENT_USERS = ["alice", "bob"]
SDK_VIEW_REQUESTS = 6  # made by one sdk_view()


@pytest.fixture(scope="module")
def private_postgres() -> Iterator[PrivatePostgres]:
    if postgres_bindir() is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs PostgreSQL's server binaries for the outage test")
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) here")
    cluster = PrivatePostgres()
    cluster.start()
    yield cluster
    cluster.close()


@pytest.fixture
def server(private_postgres: PrivatePostgres, tmp_path: Path) -> Iterator[LeashProcess]:
    url = private_postgres.create_database(f"leash_{uuid.uuid4().hex[:10]}")
    process = LeashProcess(database_url=url, log_dir=tmp_path)
    process.start()
    yield process
    process.stop()


def eventually(check: Callable[[], bool], *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"not within {seconds}s: {what}"
        time.sleep(0.05)  # polling interval, not a timing assumption


def fill(http: httpx.Client) -> None:
    """A segment, a flag whose strategy uses it, and a flag for everyone, all on."""
    segment = http.post(
        "/api/admin/segments",
        headers=ADMIN,
        json={
            "name": "beta",
            "constraints": [{"contextName": "userId", "operator": "IN", "values": SEGMENT_USERS}],
        },
    )
    assert segment.status_code == 201, segment.text
    for flag in ("beta-only", "everyone"):
        path = "/api/admin/projects/default/features"
        assert http.post(path, headers=ADMIN, json={"name": flag}).status_code == 201
    strategy = http.post(
        "/api/admin/projects/default/features/beta-only/environments/development/strategies",
        headers=ADMIN,
        json={
            "name": "flexibleRollout",
            "parameters": {"rollout": "100", "stickiness": "default", "groupId": "beta-only"},
            "constraints": [],
            "segments": [segment.json()["id"]],
        },
    )
    assert strategy.status_code == 200, strategy.text
    for flag in ("beta-only", "everyone"):
        path = f"/api/admin/projects/default/features/{flag}/environments/development/on"
        assert http.post(path, headers=ADMIN).status_code == 200


def sdk_view(http: httpx.Client) -> dict[str, Any]:
    """Everything the SDKs of this test are served, keyed by what asked for it."""
    view: dict[str, Any] = {}
    for spec in ("5.0.0", "4.2.0"):
        response = http.get("/api/client/features", headers={**CLIENT, "Unleash-Client-Spec": spec})
        view[f"client {spec}"] = (response.status_code, response.content)
        view[f"etag {spec}"] = response.headers.get("etag")
    for user in ("alice", "carol"):
        response = http.get("/api/frontend", headers=FRONTEND, params={"userId": user})
        view[f"frontend GET {user}"] = (response.status_code, response.json())
        response = http.post("/api/frontend", headers=FRONTEND, json={"context": {"userId": user}})
        view[f"frontend POST {user}"] = (response.status_code, response.json())
    return view


def frontend(view: dict[str, Any]) -> list[tuple[str, Any]]:
    return sorted((name, value) for name, value in view.items() if name.startswith("frontend"))


def toggle_names(body: dict[str, Any]) -> list[str]:
    return [toggle["name"] for toggle in body["toggles"]]


def flag_names(content: bytes) -> list[str]:
    return [feature["name"] for feature in orjson.loads(content)["features"]]


def error_body(response: httpx.Response) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    assert uuid.UUID(body.pop("id"))
    return body


def test_postgres_outage__sdks_served_last_state__admin_503__health_degraded__recovers(
    private_postgres: PrivatePostgres, server: LeashProcess
) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        fill(http)
        before = sdk_view(http)
        assert {
            name: (status, toggle_names(body)) for name, (status, body) in frontend(before)
        } == {
            "frontend GET alice": (200, ["beta-only", "everyone"]),
            "frontend POST alice": (200, ["beta-only", "everyone"]),
            "frontend GET carol": (200, ["everyone"]),
            "frontend POST carol": (200, ["everyone"]),
        }
        # One more change after the SDKs last polled. leash forgets the tokens it remembers on
        # every change, so their SDKs' next polls (below, during the outage) cannot be
        # answered from that memory: they must still be served.
        late = http.post(
            "/api/admin/projects/default/features", headers=ADMIN, json={"name": "late"}
        )
        assert late.status_code == 201

        private_postgres.stop()

        during = sdk_view(http)
        assert frontend(during) == frontend(before)
        for spec in ("5.0.0", "4.2.0"):
            status, body = during[f"client {spec}"]
            assert status == 200
            # The last good state: the flag created last is there.
            assert flag_names(body) == [*flag_names(before[f"client {spec}"][1]), "late"]
        assert sdk_view(http) == during
        not_modified = http.get(
            "/api/client/features",
            headers={
                **CLIENT,
                "Unleash-Client-Spec": "5.0.0",
                "If-None-Match": during["etag 5.0.0"],
            },
        )
        assert not_modified.status_code == 304

        write = http.post(
            "/api/admin/segments", headers=ADMIN, json={"name": "during", "constraints": []}
        )
        assert write.status_code == 503
        assert error_body(write) == {
            "name": "ServiceUnavailableError",
            "message": UNAVAILABLE,
            "details": [{"message": UNAVAILABLE}],
        }
        toggle = http.post(
            "/api/admin/projects/default/features/everyone/environments/development/off",
            headers=ADMIN,
        )
        assert toggle.status_code == 503
        assert error_body(toggle)["name"] == "ServiceUnavailableError"
        assert http.get("/api/admin/segments", headers=ADMIN).status_code == 503
        health = http.get("/health")
        assert (health.status_code, health.json()["health"], health.json()["database"]) == (
            200,
            "DEGRADED",
            "unavailable",
        )
        # A token never seen before cannot be checked: refused with 503, never let through.
        stranger = http.get(
            "/api/client/features", headers={"Authorization": "*:development.unknown-secret"}
        )
        assert stranger.status_code == 503
        assert sdk_view(http) == during  # still, after all those failures

        served_during = sum(1 for _ in range(100) if sdk_view(http) == during)
        assert served_during == 100

        private_postgres.start()
        back = time.monotonic()

        eventually(
            lambda: http.get("/health").json() == {"health": "GOOD"},
            seconds=30,
            what="/health GOOD again",
        )
        recovered = time.monotonic() - back
        assert (
            http.post(
                "/api/admin/segments", headers=ADMIN, json={"name": "after", "constraints": []}
            ).status_code
            == 201
        )
        toggle = http.post(
            "/api/admin/projects/default/features/everyone/environments/development/off",
            headers=ADMIN,
        )
        assert toggle.status_code == 200
        after = http.post("/api/frontend", headers=FRONTEND, json={"context": {"userId": "alice"}})
        assert [t["name"] for t in after.json()["toggles"]] == ["beta-only"]
        stranger = http.get(
            "/api/client/features", headers={"Authorization": "*:development.unknown-secret"}
        )
        assert stranger.status_code == 401
    assert server.process is not None and server.process.poll() is None
    assert server.starts == 1
    # Seen with `pytest -s`; RELIABILITY.md quotes this line.
    print(
        f"\noutage: {served_during * SDK_VIEW_REQUESTS} SDK requests served from the last good "
        "state while PostgreSQL was down, 0 failed; healthy again "
        f"{recovered:.2f}s after PostgreSQL was back, same process"
    )
