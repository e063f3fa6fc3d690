"""Environment variants, strategy patch and order, bulk toggles: leash replays the calls
recorded on Unleash 8.2.0 (tests/flag_scenarios.py, fixtures/*_8_2.json) and answers the same,
events and what SDKs are served included, except where noted."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

import flag_replay
import flag_scenarios
from flag_scenarios import VAR
from support import ADMIN

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_environment_variants__as_unleash_8_2(client: TestClient) -> None:
    got = flag_replay.run(client, flag_scenarios.VARIANT_STEPS)
    flag_replay.compare(got, flag_replay.load(FIXTURES / "variants_8_2.json"), differs={})


def test_strategy_patch_and_order__as_unleash_8_2(client: TestClient) -> None:
    got = flag_replay.run(client, flag_scenarios.STRATEGY_STEPS)
    flag_replay.compare(got, flag_replay.load(FIXTURES / "strategy_edits_8_2.json"), differs={})


def test_bulk_toggles__as_unleash_8_2(client: TestClient) -> None:
    got = flag_replay.run(client, flag_scenarios.BULK_STEPS)
    flag_replay.compare(got, flag_replay.load(FIXTURES / "bulk_toggles_8_2.json"), differs={})


def test_environment_variants__events__outside_a_transaction_group_as_8_2(
    client: TestClient,
) -> None:
    # 8.2's variant routes are not transactional: their events carry no groupType/groupId,
    # while the flag's creation (a transactional route) does.
    flag_replay.run(client, flag_scenarios.VARIANT_STEPS)
    listed = client.get("/api/admin/events", headers=ADMIN).json()["events"]
    groups = {(e["type"], e.get("groupType")) for e in listed if e["featureName"] == VAR}
    assert ("feature-environment-variants-updated", None) in groups
    assert ("feature-created", "transaction") in groups
    assert ("feature-environment-variants-updated", "transaction") not in groups
