"""A strategy's `segments` list is counted as sent: repeats count toward the limit.

Recorded on Unleash 8.2.0: with the default limit of 5, `[1, 2, 3, 4, 5, 5]` is refused with
400 on create, update and the bulk route alike; within the limit a repeat is stored once
(Unleash's bulk route answers 201 and links the segment once; its create answers 500, which
leash does not copy).
"""

from __future__ import annotations

from fastapi.testclient import TestClient

import flagkit
from support import ADMIN, BAD_DATA_ONE

FLAG = "repeat-flag"
STRATEGIES = f"/api/admin/projects/default/features/{FLAG}/environments/development/strategies"
LIMIT = "Strategies may not have more than 5 segments"
OVER_LIMIT = {
    "name": "BadDataError",
    "message": BAD_DATA_ONE + LIMIT,
    "details": [{"message": LIMIT}],
}


def _segments(client: TestClient, count: int) -> list[int]:
    return [flagkit.create_segment(client, f"rep-{i}", []) for i in range(count)]


def _flag_with_strategy(client: TestClient, segments: list[int]) -> str:
    flagkit.create_flag(client, FLAG)
    return flagkit.add_strategy(client, FLAG, name="default", segments=segments)


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
    strategy_id = _flag_with_strategy(client, ids)

    response = client.put(
        f"{STRATEGIES}/{strategy_id}",
        headers=ADMIN,
        json={"name": "default", "segments": [*ids, ids[0]]},
    )

    assert (response.status_code, response.json()) == (400, OVER_LIMIT)
    assert _stored_segments(client) == [ids]


def test_bulk_strategy_segments__six_ids_with_a_repeat__400_links_unchanged(
    client: TestClient,
) -> None:
    ids = _segments(client, 5)
    strategy_id = _flag_with_strategy(client, ids)
    body = {
        "projectId": "default",
        "environmentId": "development",
        "strategyId": strategy_id,
        "segmentIds": [*ids, ids[4]],
    }

    response = client.post("/api/admin/segments/strategies", headers=ADMIN, json=body)

    assert (response.status_code, response.json()) == (400, OVER_LIMIT)
    assert _stored_segments(client) == [ids]


def test_bulk_strategy_segments__repeat_within_limit__201_linked_once(client: TestClient) -> None:
    ids = _segments(client, 2)
    strategy_id = _flag_with_strategy(client, [ids[0]])
    body = {
        "projectId": "default",
        "environmentId": "development",
        "strategyId": strategy_id,
        "segmentIds": [ids[1], ids[1]],
    }

    response = client.post("/api/admin/segments/strategies", headers=ADMIN, json=body)

    assert (response.status_code, response.json()) == (201, body)
    assert _stored_segments(client) == [[ids[1]]]


def test_create_strategy__repeat_within_limit__200_linked_once(client: TestClient) -> None:
    ids = _segments(client, 1)

    flagkit.create_flag(client, FLAG)

    response = client.post(
        STRATEGIES, headers=ADMIN, json={"name": "default", "segments": [ids[0], ids[0]]}
    )

    assert (response.status_code, response.json()["segments"]) == (200, [ids[0]])
    assert _stored_segments(client) == [[ids[0]]]
