"""Flag dependencies: leash replays the calls recorded on Unleash 8.2.0 (tests/flag_scenarios.py,
fixtures/dependencies_8_2.json) and answers the same, events and what SDKs are served (and
how the engine evaluates a child) included."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

import flag_replay
import flag_scenarios

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_dependencies__as_unleash_8_2(client: TestClient) -> None:
    got = flag_replay.run(client, flag_scenarios.DEPENDENCY_STEPS)
    flag_replay.compare(got, flag_replay.load(FIXTURES / "dependencies_8_2.json"), differs={})
