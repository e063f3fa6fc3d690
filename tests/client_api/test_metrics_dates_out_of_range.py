"""Bucket dates valid to Unleash's schema but beyond what Python's datetime holds (found by the
API fuzz test: a 500) count in the hour the report arrives."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from support import ADMIN, CLIENT, FRONTEND


def _report(stop: Any) -> dict[str, Any]:
    bucket = {"start": "2024-01-01T00:00:00Z", "stop": stop, "toggles": {"f": {"yes": 2}}}
    return {"appName": "app", "bucket": bucket}


@pytest.mark.parametrize(
    "stop",
    [
        pytest.param(-6_879_000_000_000_000, id="epoch-ms-year-minus-217980"),
        pytest.param(10**17, id="epoch-ms-past-year-9999"),
        pytest.param("-99999999999999999", id="digits-string-out-of-range"),
        pytest.param("0000-01-01T00:00:00Z", id="year-zero"),
    ],
)
def test_client_metrics__stop_beyond_python_dates__counted_now(
    client: TestClient, stop: Any
) -> None:
    client.post("/api/admin/projects/default/features", json={"name": "f"}, headers=ADMIN)
    response = client.post("/api/client/metrics", json=_report(stop), headers=CLIENT)
    assert response.status_code == 202
    summary = client.get("/api/admin/client-metrics/features/f", headers=ADMIN).json()
    assert sum(hour["yes"] for hour in summary["lastHourUsage"]) == 2


def test_frontend_metrics__stop_beyond_python_dates__200(client: TestClient) -> None:
    client.post("/api/admin/projects/default/features", json={"name": "f"}, headers=ADMIN)
    response = client.post(
        "/api/frontend/client/metrics", json=_report(-6_879_000_000_000_000), headers=FRONTEND
    )
    assert response.status_code == 200
