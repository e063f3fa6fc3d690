"""The official Python SDK (PyPI UnleashClient, yggdrasil engine) against a real leash server.

Segment modes: the Python SDK always sends `Unleash-Client-Spec: 6.1.0` (segments mode) and its
custom headers cannot override that. Inline mode is proven with the same SDK by changing the
header it sends (the SDK's own header table), so the same engine has to evaluate the inlined
constraints; the Node SDK would need an npm install in the test run and also sends a spec of
its own above 4.2.0.

Polls are never awaited by time: the SDK's refresh and metrics intervals are an hour, and the
tests run its fetch job themselves (`connector._fetch_and_load`, what the scheduler calls) and
flush metrics with `destroy()`. Every request the server answers is recorded in-process by an
ASGI wrapper around leash (no mock of leash), so the tests can see the 304s.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from UnleashClient.clients.unleash_client import UnleashClient
from UnleashClient.connectors.polling_connector import PollingConnector
from UnleashClient.constants import APPLICATION_HEADERS
from UnleashClient.utils import InstanceAllowType

import flagkit
from conftest import make_settings
from leash.db import create_db_engine
from leash.engine import compile_state
from live import live_server
from support import ADMIN, CLIENT_SECRET, FRONTEND, add_project

pytestmark = [pytest.mark.sdk, pytest.mark.slow]

APP = "sdk-proof"


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    status: int
    spec: str | None
    if_none_match: str | None
    etag: str | None


class Recorder:
    """An ASGI wrapper that notes every request and the status it got, before the client does."""

    def __init__(self) -> None:
        self.seen: list[Seen] = []
        self._lock = threading.Lock()

    def wrap(self, app: ASGIApp) -> ASGIApp:
        async def recorded(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            headers = {k.decode(): v.decode() for k, v in scope["headers"]}

            async def noting_send(message: Message) -> None:
                if message["type"] == "http.response.start":
                    out = {k.decode(): v.decode() for k, v in message.get("headers", [])}
                    with self._lock:
                        self.seen.append(
                            Seen(
                                method=scope["method"],
                                path=scope["path"],
                                status=message["status"],
                                spec=headers.get("unleash-client-spec"),
                                if_none_match=headers.get("if-none-match"),
                                etag=out.get("etag"),
                            )
                        )
                await send(message)

            await app(scope, receive, noting_send)

        return recorded

    def requests(self, path: str) -> list[Seen]:
        with self._lock:
            return [seen for seen in self.seen if seen.path == path]


@dataclass
class Live:
    url: str
    admin: httpx.Client
    recorder: Recorder
    cache_dir: Path


@pytest.fixture
def live(database_url: str, tmp_path: Path) -> Iterator[Live]:
    recorder = Recorder()
    with (
        live_server(make_settings(database_url), wrap=recorder.wrap) as url,
        httpx.Client(base_url=url, timeout=30) as admin,
    ):
        yield Live(url=url, admin=admin, recorder=recorder, cache_dir=tmp_path / "sdk-cache")


def build_flags(http: httpx.Client) -> None:
    """A segment-using flag with a strategy variant, a flag needing two segments, one off."""
    beta = flagkit.reference_flag(http, segment="sdk-beta", flag="sdk-seg")
    nordic = flagkit.create_segment(
        http, "sdk-nordic", [{"contextName": "country", "operator": "IN", "values": ["NO", "SE"]}]
    )
    flagkit.create_flag(http, "sdk-two-segments")
    flagkit.add_strategy(
        http, "sdk-two-segments", name="default", parameters={}, segments=[beta, nordic]
    )
    flagkit.switch(http, "sdk-two-segments")
    flagkit.create_flag(http, "sdk-off")
    flagkit.add_strategy(http, "sdk-off")


FLAGS = ["sdk-seg", "sdk-two-segments", "sdk-off"]
# (context, which flags are on for it)
CASES: list[tuple[dict[str, Any], set[str]]] = [
    (
        {"userId": "alice", "properties": {"appVersion": "2.0.0", "country": "NO"}},
        {"sdk-seg", "sdk-two-segments"},
    ),
    ({"userId": "bob", "properties": {"appVersion": "1.0.1"}}, {"sdk-seg"}),
    (
        {"userId": "bob", "properties": {"appVersion": "1.0.0", "country": "SE"}},
        {"sdk-two-segments"},
    ),
    ({"userId": "carol", "properties": {"appVersion": "2.0.0", "country": "NO"}}, set()),
    ({"properties": {"appVersion": "3.0.0"}}, set()),
]
BLUE = {
    "name": "blue",
    "payload": {"type": "string", "value": "b"},
    "enabled": True,
    "feature_enabled": True,
}


def sdk(live: Live, **options: Any) -> UnleashClient:
    client = UnleashClient(
        url=live.url + "/api",
        app_name=APP,
        instance_id="sdk-1",
        custom_headers={"Authorization": CLIENT_SECRET},
        refresh_interval=3600,
        metrics_interval=3600,
        cache_directory=str(live.cache_dir),
        multiple_instance_mode=InstanceAllowType.SILENTLY_ALLOW,
        **options,
    )
    client.initialize_client()
    return client


def poll(client: UnleashClient) -> None:
    """One run of the SDK's own scheduled fetch job, now."""
    connector = client.connector
    assert isinstance(connector, PollingConnector)
    connector._fetch_and_load()


def frontend_answer(live: Live, context: dict[str, Any]) -> dict[str, dict[str, Any]]:
    params = {k: v for k, v in context.items() if k != "properties"}
    params.update({f"properties[{k}]": v for k, v in context.get("properties", {}).items()})
    response = live.admin.get("/api/frontend", params=params, headers=FRONTEND)
    assert response.status_code == 200
    return {toggle["name"]: toggle for toggle in response.json()["toggles"]}


def assert_sdk_agrees(client: UnleashClient, live: Live, *, spec: str) -> None:
    body = live.admin.get(
        "/api/client/features",
        headers={"Authorization": CLIENT_SECRET, "Unleash-Client-Spec": spec},
    ).json()
    engine = compile_state(body)
    for context, expected_on in CASES:
        on = {flag for flag in FLAGS if client.is_enabled(flag, context)}
        assert on == expected_on, context
        variant = client.get_variant("sdk-seg", context)
        if "sdk-seg" in expected_on:
            assert variant == BLUE
        else:
            assert variant == {"name": "disabled", "enabled": False, "feature_enabled": False}
        # leash's own engine and the frontend API answer the same for the same context.
        assert {flag for flag in FLAGS if engine.is_enabled(flag, context)} == on
        assert engine.get_variant("sdk-seg", context) == variant
        frontend = frontend_answer(live, context)
        assert set(frontend) & set(FLAGS) == on
        for flag in on:
            sdk_variant = client.get_variant(flag, context)
            assert frontend[flag]["variant"] == {
                **sdk_variant,
                "featureEnabled": sdk_variant["feature_enabled"],
            }


def test_python_sdk__segments_mode__evaluates_segments_and_constraints_as_leash(live: Live) -> None:
    build_flags(live.admin)
    client = sdk(live)
    try:
        fetches = live.recorder.requests("/api/client/features")
        assert [(f.status, f.spec) for f in fetches] == [(200, "6.1.0")]
        served = live.admin.get(
            "/api/client/features",
            headers={"Authorization": CLIENT_SECRET, "Unleash-Client-Spec": "6.1.0"},
        ).json()
        assert [s["name"] for s in served["segments"]] == ["sdk-beta", "sdk-nordic"]
        assert_sdk_agrees(client, live, spec="6.1.0")
    finally:
        client.destroy()


def test_python_sdk__inline_mode__evaluates_inlined_segment_constraints_as_leash(
    live: Live, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(APPLICATION_HEADERS, "Unleash-Client-Spec", "4.1.0")
    build_flags(live.admin)
    client = sdk(live)
    try:
        fetches = live.recorder.requests("/api/client/features")
        assert [(f.status, f.spec) for f in fetches] == [(200, "4.1.0")]
        served = live.admin.get(
            "/api/client/features",
            headers={"Authorization": CLIENT_SECRET, "Unleash-Client-Spec": "4.1.0"},
        ).json()
        assert "segments" not in served
        two = next(f for f in served["features"] if f["name"] == "sdk-two-segments")
        assert [c["contextName"] for c in two["strategies"][0]["constraints"]] == [
            "userId",
            "country",
        ]
        assert_sdk_agrees(client, live, spec="4.1.0")
    finally:
        client.destroy()


def test_python_sdk__next_poll_without_change__sends_etag_and_gets_304(live: Live) -> None:
    build_flags(live.admin)
    client = sdk(live)
    try:
        poll(client)
        poll(client)
        first, *again = live.recorder.requests("/api/client/features")
        assert (first.status, first.if_none_match) == (200, None)
        assert first.etag is not None
        assert [(seen.status, seen.if_none_match) for seen in again] == [(304, first.etag)] * 2
        assert client.is_enabled("sdk-seg", CASES[0][0]) is True
    finally:
        client.destroy()


@pytest.mark.parametrize("change", ["flag off", "segment edited", "strategy added"])
def test_python_sdk__admin_change__visible_on_next_poll(live: Live, change: str) -> None:
    build_flags(live.admin)
    client = sdk(live)
    carol = {"userId": "carol", "properties": {"appVersion": "2.0.0"}}
    alice = CASES[0][0]
    try:
        assert (client.is_enabled("sdk-seg", alice), client.is_enabled("sdk-seg", carol)) == (
            True,
            False,
        )
        if change == "flag off":
            flagkit.switch(live.admin, "sdk-seg", on=False)
        elif change == "segment edited":
            beta = next(
                s["id"]
                for s in live.admin.get("/api/admin/segments", headers=ADMIN).json()["segments"]
                if s["name"] == "sdk-beta"
            )
            flagkit.update_segment(
                live.admin,
                beta,
                "sdk-beta",
                [{"contextName": "userId", "operator": "IN", "values": ["carol"]}],
            )
        else:
            flagkit.add_strategy(live.admin, "sdk-seg", name="default", parameters={})
        # Not yet polled: the SDK still has the old state.
        assert client.is_enabled("sdk-seg", alice) is True
        poll(client)
        expected = {
            "flag off": (False, False),
            "segment edited": (False, True),
            "strategy added": (True, True),
        }[change]
        assert (
            client.is_enabled("sdk-seg", alice),
            client.is_enabled("sdk-seg", carol),
        ) == expected
        first, second = live.recorder.requests("/api/client/features")
        assert (second.status, second.if_none_match) == (200, first.etag)
        assert second.etag != first.etag
    finally:
        client.destroy()


def test_python_sdk__register_and_metrics__arrive_and_are_counted(live: Live) -> None:
    build_flags(live.admin)
    client = sdk(live)
    alice, carol = CASES[0][0], CASES[3][0]
    try:
        for _ in range(3):
            assert client.is_enabled("sdk-seg", alice) is True
        for _ in range(2):
            assert client.is_enabled("sdk-seg", carol) is False
        assert client.is_enabled("sdk-two-segments", alice) is True
    finally:
        client.destroy()  # flushes the metrics bucket
    register = live.recorder.requests("/api/client/register")
    metrics = live.recorder.requests("/api/client/metrics")
    assert [(r.method, r.status) for r in register] == [("POST", 202)]
    assert [(m.method, m.status) for m in metrics] == [("POST", 202)]
    summary = live.admin.get("/api/admin/client-metrics/features/sdk-seg", headers=ADMIN).json()
    assert [(u["environment"], u["yes"], u["no"]) for u in summary["lastHourUsage"]] == [
        ("development", 3, 2)
    ]
    assert summary["seenApplications"] == [APP]
    two = live.admin.get(
        "/api/admin/client-metrics/features/sdk-two-segments", headers=ADMIN
    ).json()
    assert [(u["yes"], u["no"]) for u in two["lastHourUsage"]] == [(1, 0)]


def test_python_sdk__project_token__sees_only_its_projects_flags(
    live: Live, database_url: str
) -> None:
    build_flags(live.admin)
    db = create_db_engine(make_settings(database_url).database_url)
    try:
        add_project(db, "alpha")
    finally:
        db.dispose()
    flagkit.create_flag(live.admin, "sdk-alpha", project="alpha")
    flagkit.switch(live.admin, "sdk-alpha", project="alpha")
    token = flagkit.create_token(
        live.admin, type="client", projects=["alpha"], environment="development"
    )
    client = UnleashClient(
        url=live.url + "/api",
        app_name=APP,
        custom_headers={"Authorization": token},
        refresh_interval=3600,
        disable_metrics=True,
        cache_directory=str(live.cache_dir),
        multiple_instance_mode=InstanceAllowType.SILENTLY_ALLOW,
    )
    client.initialize_client()
    try:
        assert client.is_enabled("sdk-alpha") is True
        assert {flag for flag in FLAGS if client.is_enabled(flag, CASES[0][0])} == set()
        assert sorted(client.feature_definitions()) == ["sdk-alpha"]
    finally:
        client.destroy()


def test_python_sdk__project_name_option__fetches_only_that_project(
    live: Live, database_url: str
) -> None:
    build_flags(live.admin)
    db = create_db_engine(make_settings(database_url).database_url)
    try:
        add_project(db, "alpha")
    finally:
        db.dispose()
    flagkit.create_flag(live.admin, "sdk-alpha", project="alpha")
    flagkit.switch(live.admin, "sdk-alpha", project="alpha")
    client = sdk(live, project_name="alpha")
    try:
        assert sorted(client.feature_definitions()) == ["sdk-alpha"]
        assert client.is_enabled("sdk-alpha") is True
        assert client.is_enabled("sdk-seg", CASES[0][0]) is False
        poll(client)
        first, again = live.recorder.requests("/api/client/features")
        assert (first.status, again.status, again.if_none_match) == (200, 304, first.etag)
    finally:
        client.destroy()
