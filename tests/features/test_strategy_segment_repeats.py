"""A strategy's `segments` list is counted as sent: repeats count toward the limit.

Recorded on Unleash 8.2.0: with the default limit of 5, `[1, 2, 3, 4, 5, 5]` is refused with
400 on create, update and the bulk route alike; within the limit a repeat is stored once
(Unleash's bulk route answers 201 and links the segment once; its create answers 500, which
leash does not copy).
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from support import ADMIN

FLAG = "/api/admin/projects/default/features/repeat-flag"
STRATEGIES = f"{FLAG}/environments/development/strategies"
LIMIT = "Strategies may not have more than 5 segments"
OVER_LIMIT = {
    "name": "BadDataError",
    "message": "Request validation failed: your request body or params contain invalid data: "
    + LIMIT,
    "details": [{"message": LIMIT}],
}


def _segments(client: TestClient, count: int) -> list[int]:
    ids = []
    for i in range(count):
        response = client.post(
            "/api/admin/segments", headers=ADMIN, json={"name": f"rep-{i}", "constraints": []}
        )
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    return ids


def _flag_with_strategy(client: TestClient, segments: list[int]) -> dict[str, Any]:
    response = client.post(
        "/api/admin/projects/default/features", headers=ADMIN, json={"name": "repeat-flag"}
    )
    assert response.status_code == 201, response.text
    response = client.post(
        STRATEGIES, headers=ADMIN, json={"name": "default", "segments": segments}
    )
    assert response.status_code == 200, response.text
    strategy: dict[str, Any] = response.json()
    return strategy


def _stored_segments(client: TestClient) -> list[list[int]]:
    listed = client.get(STRATEGIES, headers=ADMIN).json()
    return [strategy["segments"] for strategy in listed]


def test_create_strategy__five_ids_one_repeated_to_six__400_nothing_stored(
    client: TestClient,
) -> None:
    ids = _segments(client, 5)
    _flag_with_strategy(client, [ids[0]])

    response = client.post(
        STRATEGIES, headers=ADMIN, json={"name": "default", "segments": [*ids, ids[4]]}
    )

    assert (response.status_code, response.json()) == (400, OVER_LIMIT)
    assert _stored_segments(client) == [[ids[0]]]


def test_update_strategy__six_ids_with_a_repeat__400_links_unchanged(client: TestClient) -> None:
    ids = _segments(client, 5)
    strategy = _flag_with_strategy(client, ids)

    response = client.put(
        f"{STRATEGIES}/{strategy['id']}",
        headers=ADMIN,
        json={"name": "default", "segments": [*ids, ids[0]]},
    )

    assert (response.status_code, response.json()) == (400, OVER_LIMIT)
    assert _stored_segments(client) == [ids]


def test_bulk_strategy_segments__six_ids_with_a_repeat__400_links_unchanged(
    client: TestClient,
) -> None:
    ids = _segments(client, 5)
    strategy = _flag_with_strategy(client, ids)
    body = {
        "projectId": "default",
        "environmentId": "development",
        "strategyId": strategy["id"],
        "segmentIds": [*ids, ids[4]],
    }

    response = client.post("/api/admin/segments/strategies", headers=ADMIN, json=body)

    assert (response.status_code, response.json()) == (400, OVER_LIMIT)
    assert _stored_segments(client) == [ids]


def test_bulk_strategy_segments__repeat_within_limit__201_linked_once(client: TestClient) -> None:
    ids = _segments(client, 2)
    strategy = _flag_with_strategy(client, [ids[0]])
    body = {
        "projectId": "default",
        "environmentId": "development",
        "strategyId": strategy["id"],
        "segmentIds": [ids[1], ids[1]],
    }

    response = client.post("/api/admin/segments/strategies", headers=ADMIN, json=body)

    assert (response.status_code, response.json()) == (201, body)
    assert _stored_segments(client) == [[ids[1]]]


def test_create_strategy__repeat_within_limit__200_linked_once(client: TestClient) -> None:
    ids = _segments(client, 1)

    strategy = _flag_with_strategy(client, [ids[0], ids[0]])

    assert strategy["segments"] == [ids[0]]
    assert _stored_segments(client) == [[ids[0]]]
