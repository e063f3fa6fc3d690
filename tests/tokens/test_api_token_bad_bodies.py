"""Bodies of the API-token endpoints go through the declared schemas (tokens.schemas): every
bad one is a 400 in Unleash's words and creates or changes nothing (each of these was a 500).
The messages are those the reference Unleash 8.2 gives for the same inputs where it answers
a 400; for dates beyond what leash can store, Unleash answers 201 and leash a 400."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from support import ADMIN, BAD_DATA_LIST

JSON = {**ADMIN, "Content-Type": "application/json"}
ONE_OF = {
    "message": 'The "/body" property must match exactly one schema in oneOf. The data you '
    "provided matches more than one option in the schema. These options are mutually "
    "exclusive. Please refer back to the schema and remove any excess properties.",
    "path": "/body",
}
STORABLE = (
    "must be a date-time from 0001-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z "
    "(the dates leash can store)"
)
AFTER_9999 = "9999-12-31T23:59:59-01:00"
BEFORE_0001 = "0001-01-01T00:00:00+01:00"


def _tokens(client: TestClient) -> list[Any]:
    tokens: list[Any] = client.get("/api/admin/api-tokens", headers=ADMIN).json()["tokens"]
    return tokens


def _bad_data(body: dict[str, Any], *details: dict[str, str]) -> None:
    assert isinstance(body.pop("id"), str)
    assert body == {"name": "BadDataError", "message": BAD_DATA_LIST, "details": list(details)}


@pytest.mark.parametrize("projects", ["true", "5", "1.5"])
def test_create_token__projects_not_an_array__400_nothing_created(
    client: TestClient, projects: str
) -> None:
    before = _tokens(client)
    body = f'{{"type": "client", "tokenName": "t", "projects": {projects}}}'
    response = client.post("/api/admin/api-tokens", content=body, headers=JSON)
    assert response.status_code == 400
    detail = {
        "message": f"The `/body/projects` property must be array. You sent {projects}.",
        "path": "/body/projects",
    }
    _bad_data(response.json(), detail, ONE_OF)
    assert _tokens(client) == before


@pytest.mark.parametrize("expires_at", [AFTER_9999, BEFORE_0001])
def test_create_token__expiry_beyond_storable_dates__400_nothing_created(
    client: TestClient, expires_at: str
) -> None:
    before = _tokens(client)
    body = {"type": "client", "tokenName": "t", "expiresAt": expires_at}
    response = client.post("/api/admin/api-tokens", json=body, headers=ADMIN)
    assert response.status_code == 400
    detail = {
        "message": f'The `/body/expiresAt` property {STORABLE}. You sent "{expires_at}".',
        "path": "/body/expiresAt",
    }
    _bad_data(response.json(), detail, ONE_OF)
    assert _tokens(client) == before


@pytest.mark.parametrize("expires_at", [AFTER_9999, BEFORE_0001])
def test_update_token__expiry_beyond_storable_dates__400_unchanged(
    client: TestClient, expires_at: str
) -> None:
    created = client.post(
        "/api/admin/api-tokens", json={"type": "client", "tokenName": "t"}, headers=ADMIN
    ).json()
    before = _tokens(client)
    response = client.put(
        f"/api/admin/api-tokens/{created['secret']}",
        json={"expiresAt": expires_at},
        headers=ADMIN,
    )
    assert response.status_code == 400
    detail = {
        "message": f'The `/body/expiresAt` property {STORABLE}. You sent "{expires_at}".',
        "path": "/body/expiresAt",
    }
    _bad_data(response.json(), detail)
    assert _tokens(client) == before


def test_create_token__not_an_object__400_without_one_of(client: TestClient) -> None:
    response = client.post("/api/admin/api-tokens", content="5", headers=JSON)
    assert response.status_code == 400
    detail = {"message": "The `/body` property must be object. You sent 5.", "path": "/body"}
    _bad_data(response.json(), detail)


def test_create_token__expiry_without_zone__utc_as_unleash(client: TestClient) -> None:
    body = {"type": "client", "tokenName": "t", "expiresAt": "2099-01-01 10:00:00"}
    response = client.post("/api/admin/api-tokens", json=body, headers=ADMIN)
    assert response.status_code == 201
    assert response.json()["expiresAt"] == "2099-01-01T10:00:00.000Z"
