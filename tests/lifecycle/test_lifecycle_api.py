"""Lifecycle stages: entered on create, archive, revive and complete; shown by getFeature and
counted by getFeatureLifecycleStageCount (the calls' answers compared with 8.2.0's are in
tests/archive/test_archive_reference.py)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

import flagkit
from support import ADMIN

P = "/api/admin/projects/default"


def _stages(client: TestClient, name: str) -> list[str]:
    body: list[dict[str, Any]] = client.get(P + f"/features/{name}/lifecycle", headers=ADMIN).json()
    return [s["stage"] for s in body]


def test_lifecycle__created_flag__initial_stage_in_get_feature(client: TestClient) -> None:
    flagkit.create_flag(client, "x1")
    stages = client.get(P + "/features/x1/lifecycle", headers=ADMIN).json()
    assert [s["stage"] for s in stages] == ["initial"]
    feature = client.get(P + "/features/x1", headers=ADMIN).json()
    assert feature["lifecycle"] == stages[0]
    assert list(feature)[-3:] == ["lifecycle", "links", "collaborators"]


def test_lifecycle__completed__current_stage_completed_with_status(client: TestClient) -> None:
    flagkit.create_flag(client, "x1")
    response = client.post(
        P + "/features/x1/lifecycle/complete", headers=ADMIN, json={"status": "discarded"}
    )
    assert (response.status_code, response.content) == (200, b"")
    lifecycle = client.get(P + "/features/x1", headers=ADMIN).json()["lifecycle"]
    assert {k: v for k, v in lifecycle.items() if k != "enteredStageAt"} == {
        "stage": "completed",
        "status": "discarded",
    }


def test_lifecycle__archived_then_revived__starts_over_at_initial(client: TestClient) -> None:
    flagkit.create_flag(client, "x1")
    client.post(P + "/features/x1/lifecycle/complete", headers=ADMIN, json={"status": "kept"})
    assert client.delete(P + "/features/x1", headers=ADMIN).status_code == 202
    assert _stages(client, "x1") == ["initial", "completed", "archived"]
    assert client.post("/api/admin/archive/revive/x1", headers=ADMIN).status_code == 200
    assert _stages(client, "x1") == ["initial"]


def test_lifecycle_count__latest_stage_of_each_flag(client: TestClient) -> None:
    for name in ("x1", "x2", "x3", "x4"):
        flagkit.create_flag(client, name)
    client.post(P + "/features/x2/lifecycle/complete", headers=ADMIN, json={"status": "kept"})
    client.post(P + "/archive", headers=ADMIN, json={"features": ["x3", "x4"]})
    client.post(P + "/delete", headers=ADMIN, json={"features": ["x4"]})
    response = client.get("/api/admin/lifecycle/count", headers=ADMIN)
    assert response.status_code == 200
    assert response.json() == {"initial": 1, "preLive": 0, "live": 0, "completed": 1, "archived": 1}


def test_lifecycle_complete__status_value_too_long__400_nothing_entered(
    client: TestClient,
) -> None:
    flagkit.create_flag(client, "x1")
    response = client.post(
        P + "/features/x1/lifecycle/complete",
        headers=ADMIN,
        json={"status": "kept", "statusValue": "v" * 1001},
    )
    assert response.status_code == 400
    assert response.json()["name"] == "BadDataError"
    assert _stages(client, "x1") == ["initial"]
