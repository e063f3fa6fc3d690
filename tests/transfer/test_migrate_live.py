"""Opt-in: `leash migrate --from` against a live Unleash (7.x or 8.x), skipped unless
LEASH_LIVE_UNLEASH_URL names one (LEASH_LIVE_UNLEASH_TOKEN: its admin token, default
'*:*.admin-secret'; LEASH_LIVE_UNLEASH_CLIENT_TOKEN: a client token of `development`, default
'*:development.client-secret'). The source is never written: the migration only GETs."""

from __future__ import annotations

import os

import httpx
import pytest
from fastapi.testclient import TestClient
from test_migrate import _client_view
from transferkit import differences

from conftest import make_settings
from leash.app import create_app
from leash.transfer.commands import migrate_from

LIVE = os.environ.get("LEASH_LIVE_UNLEASH_URL")
pytestmark = pytest.mark.skipif(not LIVE, reason="LEASH_LIVE_UNLEASH_URL not set")


def test_migrate__live_unleash__client_features_as_the_source_serves_them(
    database_url: str,
) -> None:
    assert LIVE is not None
    token = os.environ.get("LEASH_LIVE_UNLEASH_TOKEN", "*:*.admin-secret")
    client_token = os.environ.get("LEASH_LIVE_UNLEASH_CLIENT_TOKEN", "*:development.client-secret")
    seen: list[str] = []

    def only_get(request: httpx.Request) -> None:
        seen.append(request.method)

    transport = httpx.HTTPTransport()
    with httpx.Client(base_url=LIVE, timeout=30) as source:
        want = source.get("/api/client/features", headers={"Authorization": client_token})
        assert want.status_code == 200, want.text

    class Watching(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            only_get(request)
            return transport.handle_request(request)

    problem = migrate_from(
        settings=make_settings(database_url),
        url=LIVE,
        token=token,
        dry_run=False,
        transport=Watching(),
    )

    assert problem is None
    assert set(seen) == {"GET"}
    with TestClient(create_app(make_settings(database_url))) as client:
        got = client.get("/api/client/features", headers={"Authorization": client_token})
    assert got.status_code == 200, got.text
    diffs = differences(_client_view(got.json()), _client_view(want.json()))
    assert diffs == [], "\n".join(diffs)
