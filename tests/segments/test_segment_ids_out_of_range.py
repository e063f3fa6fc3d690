"""Segment ids are 32-bit serials. Path ids beyond that range name no segment (found by the API
fuzz test: SQLite's driver overflowed on them, a 500); ids in bodies are declared integers of
that range (a 400), and a float id is the integer it equals: `1.0 in range(-2**31, 2**31)`
once scanned billions of items and froze the server."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

from support import ADMIN, answered_within

HUGE = 2**63
# As JavaScript prints the double that JSON number becomes (ajv's messages).
HUGE_SHOWN = "9223372036854776000"
STRATEGIES = "/api/admin/projects/default/features/f/environments/development/strategies"
JSON = {**ADMIN, "Content-Type": "application/json"}
PREFIX = "Request validation failed: your request body or params contain invalid data."


def _strategy(client: TestClient) -> str:
    client.post("/api/admin/projects/default/features", json={"name": "f"}, headers=ADMIN)
    created = client.post(STRATEGIES, json={"name": "default"}, headers=ADMIN).json()
    return str(created["id"])


def _bad_data(response: Response, message: str, path: str) -> None:
    assert response.status_code == 400
    body: dict[str, Any] = response.json()
    assert isinstance(body.pop("id"), str)
    assert body == {
        "name": "BadDataError",
        "message": f"{PREFIX} Refer to the `details` list for more information.",
        "details": [{"message": message, "path": path}],
    }


def test_get_segment__id_beyond_32_bits__404(client: TestClient) -> None:
    response = client.get(f"/api/admin/segments/{HUGE}", headers=ADMIN)
    assert response.status_code == 404
    message = f'No segment exists with ID "{HUGE}"'
    assert response.json() == {
        "name": "NotFoundError",
        "message": message,
        "details": [{"message": message}],
    }


def test_update_strategy__segment_id_beyond_32_bits__400_nothing_stored(
    client: TestClient,
) -> None:
    strategy_id = _strategy(client)
    response = client.put(
        f"{STRATEGIES}/{strategy_id}", json={"name": "default", "segments": [HUGE]}, headers=ADMIN
    )
    message = f"The `/body/segments/0` property must be <= 2147483647. You sent {HUGE_SHOWN}."
    _bad_data(response, message, "/body/segments/0")
    stored = client.get(f"{STRATEGIES}/{strategy_id}", headers=ADMIN).json()
    assert stored["segments"] == []


def test_set_strategy_segments__segment_id_beyond_32_bits__400(client: TestClient) -> None:
    body = {
        "projectId": "default",
        "strategyId": _strategy(client),
        "environmentId": "development",
        "segmentIds": [HUGE],
    }
    response = client.post("/api/admin/segments/strategies", json=body, headers=ADMIN)
    message = f"The `/body/segmentIds/0` property must be <= 2147483647. You sent {HUGE_SHOWN}."
    _bad_data(response, message, "/body/segmentIds/0")


def test_set_strategy_segments__float_id__answered_promptly_as_the_integer(
    client: TestClient,
) -> None:
    segment = client.post(
        "/api/admin/segments", json={"name": "s", "constraints": []}, headers=ADMIN
    ).json()
    strategy_id = _strategy(client)
    body = (
        f'{{"projectId": "default", "strategyId": "{strategy_id}", '
        f'"environmentId": "development", "segmentIds": [{segment["id"]}.0]}}'
    )
    response = answered_within(
        10, lambda: client.post("/api/admin/segments/strategies", content=body, headers=JSON)
    )
    assert response.status_code == 201
    # The id is echoed as the integer it is, not as 1.0.
    assert f'"segmentIds":[{segment["id"]}]' in response.text
    stored = client.get(f"{STRATEGIES}/{strategy_id}", headers=ADMIN).json()
    assert stored["segments"] == [segment["id"]]


def test_set_strategy_segments__fractional_id__400(client: TestClient) -> None:
    body = (
        f'{{"projectId": "default", "strategyId": "{_strategy(client)}", '
        '"environmentId": "development", "segmentIds": [1.5]}'
    )
    response = client.post("/api/admin/segments/strategies", content=body, headers=JSON)
    message = "The `/body/segmentIds/0` property must be integer. You sent 1.5."
    _bad_data(response, message, "/body/segmentIds/0")


def test_add_strategy__fractional_segment_id__400_nothing_stored(client: TestClient) -> None:
    _strategy(client)
    response = client.post(
        STRATEGIES, content='{"name": "default", "segments": [1.5]}', headers=JSON
    )
    message = "The `/body/segments/0` property must be integer. You sent 1.5."
    _bad_data(response, message, "/body/segments/0")
    assert len(client.get(STRATEGIES, headers=ADMIN).json()) == 1
