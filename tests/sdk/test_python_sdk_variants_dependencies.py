"""The official Python SDK (yggdrasil engine) on a real leash server, for a flag's environment
variants and for dependent flags: the calls recorded on Unleash 8.2.0 (tests/flag_scenarios.py)
are replayed on leash, and the SDK, fed by leash's client API, picks for each user the variant
and on/off state that Unleash 8.2's own frontend API answered in the recording."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from UnleashClient.clients.unleash_client import UnleashClient
from UnleashClient.connectors.polling_connector import PollingConnector
from UnleashClient.utils import InstanceAllowType

import flag_replay
import flag_scenarios
from conftest import make_settings
from live import live_server
from support import CLIENT_SECRET

pytestmark = [pytest.mark.sdk, pytest.mark.slow]

TESTS = Path(__file__).resolve().parent.parent
VARIANTS = TESTS / "features" / "fixtures" / "variants_8_2.json"
DEPENDENCIES = TESTS / "dependencies" / "fixtures" / "dependencies_8_2.json"


@pytest.fixture
def live(database_url: str) -> Iterator[str]:
    with live_server(make_settings(database_url)) as url:
        yield url


def _sdk(url: str, cache: Path) -> UnleashClient:
    client = UnleashClient(
        url=url + "/api",
        app_name="sdk-variants",
        instance_id="sdk-v",
        custom_headers={"Authorization": CLIENT_SECRET},
        refresh_interval=3600,
        metrics_interval=3600,
        cache_directory=str(cache),
        multiple_instance_mode=InstanceAllowType.SILENTLY_ALLOW,
    )
    client.initialize_client()
    connector = client.connector
    assert isinstance(connector, PollingConnector)
    connector._fetch_and_load()
    return client


def _recorded_frontend(path: Path) -> dict[str, list[dict[str, Any]]]:
    """8.2's frontend answers by user: the toggles it listed."""
    return {
        answer["label"].removeprefix("frontend "): answer["body"]
        for answer in flag_replay.load(path)
        if answer["label"].startswith("frontend ")
    }


def _check(client: UnleashClient, recorded: dict[str, list[dict[str, Any]]]) -> None:
    for user, toggles in recorded.items():
        for toggle in toggles:
            context = {"userId": user}
            assert client.is_enabled(toggle["name"], context) == toggle["enabled"]
            variant = client.get_variant(toggle["name"], context)
            expected = toggle["variant"]
            assert (user, variant["name"], variant.get("payload")) == (
                user,
                expected["name"],
                expected.get("payload"),
            )


def test_sdk__environment_variants__as_unleash_8_2_frontend(live: str, tmp_path: Path) -> None:
    with httpx.Client(base_url=live, timeout=30) as http:
        flag_replay.run(http, flag_scenarios.VARIANT_STEPS)
    client = _sdk(live, tmp_path)
    try:
        _check(client, _recorded_frontend(VARIANTS))
    finally:
        client.destroy()


def test_sdk__dependencies__as_unleash_8_2_frontend(live: str, tmp_path: Path) -> None:
    with httpx.Client(base_url=live, timeout=30) as http:
        flag_replay.run(http, flag_scenarios.DEPENDENCY_STEPS)
    client = _sdk(live, tmp_path)
    try:
        recorded = _recorded_frontend(DEPENDENCIES)
        # The child whose parent must be off is absent from 8.2's frontend answer: off.
        for user in recorded:
            assert not client.is_enabled(flag_scenarios.CHILD2, {"userId": user})
        _check(client, recorded)
    finally:
        client.destroy()
