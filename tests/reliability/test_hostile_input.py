"""Hostile input gets a clear 4xx in Unleash's error body and changes nothing, on both databases."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from support import ADMIN

JSON = {**ADMIN, "Content-Type": "application/json"}


def _segments(client: TestClient) -> list[Any]:
    segments: list[Any] = client.get("/api/admin/segments", headers=ADMIN).json()["segments"]
    return segments


def _events(client: TestClient) -> int:
    return len(client.get("/api/admin/events", headers=ADMIN).json()["events"])


def test_create_segment__nul_in_name__400_nothing_stored(client: TestClient) -> None:
    before = _events(client)
    body = '{"name": "a\\u0000b", "constraints": []}'
    response = client.post("/api/admin/segments", content=body, headers=JSON)
    assert response.status_code == 400
    error = response.json()
    message = (
        "The `/body/name` property must not contain the NUL character (\\u0000): "
        "PostgreSQL cannot store it."
    )
    assert error["name"] == "BadDataError"
    assert error["details"] == [{"message": message, "path": "/body/name"}]
    assert _segments(client) == []
    assert _events(client) == before


def test_create_flag__nul_in_nested_key__400_nothing_stored(client: TestClient) -> None:
    body = '{"name": "f", "tags": [{"type": "simple", "value": "ok", "x\\u0000": 1}]}'
    response = client.post("/api/admin/projects/default/features", content=body, headers=JSON)
    assert response.status_code == 400
    assert response.json()["name"] == "BadDataError"
    assert client.get("/api/admin/projects/default/features/f", headers=ADMIN).status_code == 404


def test_event_search__nul_in_query__400_on_postgres_not_500(
    client: TestClient, database_url: str
) -> None:
    response = client.get("/api/admin/events", params={"project": "a\x00b"}, headers=ADMIN)
    if database_url.startswith("sqlite"):
        # SQLite stores and compares NUL like any character: nothing matches.
        assert response.status_code == 200
        assert response.json()["events"] == []
        return
    assert response.status_code == 400
    assert response.json()["details"] == [
        {"message": "The request contains a value the database cannot store."}
    ]
