"""Segment ids beyond the 32-bit serial range name no segment (found by the API fuzz test:
SQLite's driver overflowed on them, a 500)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from support import ADMIN

HUGE = 2**63


def test_get_segment__id_beyond_32_bits__404(client: TestClient) -> None:
    response = client.get(f"/api/admin/segments/{HUGE}", headers=ADMIN)
    assert response.status_code == 404
    message = f'No segment exists with ID "{HUGE}"'
    assert response.json() == {
        "name": "NotFoundError",
        "message": message,
        "details": [{"message": message}],
    }


def test_update_strategy__segment_id_beyond_32_bits__404(client: TestClient) -> None:
    client.post("/api/admin/projects/default/features", json={"name": "f"}, headers=ADMIN)
    strategies = "/api/admin/projects/default/features/f/environments/development/strategies"
    created = client.post(strategies, json={"name": "default"}, headers=ADMIN).json()
    response = client.put(
        f"{strategies}/{created['id']}", json={"name": "default", "segments": [HUGE]}, headers=ADMIN
    )
    assert response.status_code == 404
    assert response.json()["message"] == f'No segment exists with ID "{HUGE}"'
    stored = client.get(f"{strategies}/{created['id']}", headers=ADMIN).json()
    assert stored["segments"] == []


def test_set_strategy_segments__segment_id_beyond_32_bits__404(client: TestClient) -> None:
    client.post("/api/admin/projects/default/features", json={"name": "f"}, headers=ADMIN)
    strategies = "/api/admin/projects/default/features/f/environments/development/strategies"
    created = client.post(strategies, json={"name": "default"}, headers=ADMIN).json()
    body = {
        "projectId": "default",
        "strategyId": created["id"],
        "environmentId": "development",
        "segmentIds": [HUGE],
    }
    response = client.post("/api/admin/segments/strategies", json=body, headers=ADMIN)
    assert response.status_code == 404
    assert response.json()["message"] == f'No segment exists with ID "{HUGE}"'
