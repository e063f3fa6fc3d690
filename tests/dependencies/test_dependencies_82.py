"""Flag dependencies: leash replays the calls recorded on Unleash 8.2.0 (tests/flag_scenarios.py,
fixtures/dependencies_8_2.json) and answers the same, events and what SDKs are served (and
how the engine evaluates a child) included."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

import flag_replay
import flag_scenarios
import flagkit
from support import ADMIN, CLIENT

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_dependencies__as_unleash_8_2(client: TestClient) -> None:
    got = flag_replay.run(client, flag_scenarios.DEPENDENCY_STEPS)
    flag_replay.compare(got, flag_replay.load(FIXTURES / "dependencies_8_2.json"), differs={})


def test_client_features__enabled_parent_without_variants__variants_empty_list(
    client: TestClient,
) -> None:
    # Unleash's client store writes the parent's variants, [] included, whenever the child
    # needs the parent enabled, and no variants key when it needs the parent disabled.
    for name in ("h14-parent", "h14-on-child", "h14-off-child"):
        flagkit.create_flag(client, name)
    for child, enabled in (("h14-on-child", True), ("h14-off-child", False)):
        response = client.post(
            f"/api/admin/projects/default/features/{child}/dependencies",
            headers=ADMIN,
            json={"feature": "h14-parent", "enabled": enabled},
        )
        assert response.status_code == 200, response.text
    served = client.get("/api/client/features", headers=CLIENT).json()["features"]
    dependencies = {f["name"]: f.get("dependencies") for f in served}
    assert dependencies == {
        "h14-parent": None,
        "h14-on-child": [{"feature": "h14-parent", "enabled": True, "variants": []}],
        "h14-off-child": [{"feature": "h14-parent", "enabled": False}],
    }
