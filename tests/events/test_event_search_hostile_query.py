"""Event search with query values that once answered 500 or stalled the server: offsets
beyond any count, dates at the end of time, ids beyond what the columns hold, and filter
values that made Python's `re` backtrack (now RE2, linear). Unleash 8.2 answers the offsets
and the last day with 200 as here; it answers 500 to the ids (leash: nothing matches)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from support import ADMIN, answered_within


def _segment(client: TestClient, name: str) -> None:
    body = {"name": name, "constraints": []}
    assert client.post("/api/admin/segments", json=body, headers=ADMIN).status_code == 201


def _search(client: TestClient, **params: str) -> dict[str, Any]:
    response = client.get("/api/admin/search/events", params=params, headers=ADMIN)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_search__offset_infinite__none_skipped_as_unleash(client: TestClient) -> None:
    _segment(client, "a")
    body = _search(client, type="IS:segment-created", offset="inf")
    assert (body["total"], [e["data"]["name"] for e in body["events"]]) == (1, ["a"])


@pytest.mark.parametrize("offset", ["1e19", "99999999999999999999999"])
def test_search__offset_beyond_64_bits__200_no_events(client: TestClient, offset: str) -> None:
    _segment(client, "a")
    body = _search(client, type="IS:segment-created", offset=offset)
    assert (body["total"], body["events"]) == (1, [])


def test_search__to_the_last_day_of_9999__everything(client: TestClient) -> None:
    _segment(client, "a")
    body = _search(client, type="IS:segment-created", to="IS:9999-12-31")
    assert [e["data"]["name"] for e in body["events"]] == ["a"]


@pytest.mark.parametrize(
    "query",
    [
        {"id": "IS:" + "1" * 20},
        {"id": "IS_ANY_OF:9223372036854775808,-9223372036854775809"},
        {"createdBy": "IS:2147483648"},
        {"id": "IS:" + "9" * 5000},
    ],
)
def test_search__id_beyond_its_column__200_nothing_matches(
    client: TestClient, query: dict[str, str]
) -> None:
    _segment(client, "a")
    assert _search(client, **query) == {"events": [], "total": 0}


def test_search__ids_in_and_beyond_range__the_ones_in_range_match(client: TestClient) -> None:
    _segment(client, "a")
    event_id = _search(client, type="IS:segment-created")["events"][0]["id"]
    body = _search(client, id=f"IS_ANY_OF:{event_id},{'1' * 20}")
    assert [e["id"] for e in body["events"]] == [event_id]


def test_search__filter_that_backtracked__400_promptly(client: TestClient) -> None:
    # Python's re took quadratic time on `.*?` before a repeated group (60,000 characters:
    # most of a minute, holding the GIL); RE2 answers at once.
    value = "IS:" + ",a" * 30_000 + "\nx"
    query = value.replace("\n", "%0A")
    response = answered_within(
        10, lambda: client.get(f"/api/admin/search/events?type={query}", headers=ADMIN)
    )
    assert response.status_code == 400
    pattern = "^(IS|IS_ANY_OF):(.*?)(,([a-zA-Z0-9_]+))*$"
    message = f'The `/query/type` property must match pattern "{pattern}". You sent "{value}".'
    body = response.json()
    assert body["details"] == [{"message": message, "path": "/query/type"}]
