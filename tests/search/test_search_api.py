"""The flag search beyond the recorded scenario: hostile input never fails (no 5xx, no
regular expressions of Python on it), limits are capped, pages hold, archived flags stay out."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

import flagkit
from support import ADMIN

SEARCH = "/api/admin/search/features"


def _names(client: TestClient, **params: str) -> tuple[int, list[str]]:
    response = client.get(SEARCH, headers=ADMIN, params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    return body["total"], [f["name"] for f in body["features"]]


def test_search__limit_over_100__default_50(client: TestClient) -> None:
    for i in range(55):
        flagkit.create_flag(client, f"f{i:02d}")
    total, names = _names(client, limit="101")
    assert (total, len(names)) == (55, 50)
    total, names = _names(client, limit="100")
    assert (total, len(names)) == (55, 55)
    assert _names(client, limit="5", offset="53")[1] == ["f53", "f54"]


@pytest.mark.parametrize(
    "params",
    [
        {"offset": "1e400"},
        {"offset": "9" * 5000},
        {"limit": "-1"},
        {"query": "%_\\" * 2000},
        {"query": "," * 5000},
        {"createdAt": "IS_BEFORE:2023-13-45"},
        {"createdBy": "IS:" + "9" * 400},
        {"createdBy": "IS_ANY_OF:a,b,-99999999999"},
        {"tag": "INCLUDE:" + ",".join(f"t:{i}" for i in range(3000))},
        {"tag": "INCLUDE_ALL_OF:simple:a,simple:b"},
        {"segment": "EXCLUDE_ALL:x,y"},
        {"lifecycle": "IS_NONE_OF:archived,live"},
        {"state": "IS_NOT:stale,active,potentially-stale"},
        {"sortBy": "environment:"},
        {"sortBy": "lastSeenAt", "sortOrder": "desc"},
        {"favorite": "IS:true,false"},
    ],
)
def test_search__hostile_query__answered(client: TestClient, params: dict[str, str]) -> None:
    flagkit.create_flag(client, "x1")
    response = client.get(SEARCH, headers=ADMIN, params=params)
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"features", "total"}


def test_search__archived_flags_only_in_the_archived_view(client: TestClient) -> None:
    flagkit.create_flag(client, "x1")
    flagkit.create_flag(client, "x2")
    client.delete("/api/admin/projects/default/features/x2", headers=ADMIN)
    assert _names(client) == (1, ["x1"])
    assert _names(client, archived="IS:true") == (1, ["x2"])
    assert _names(client, lifecycle="IS_ANY_OF:archived,initial") == (2, ["x1", "x2"])


def test_search__no_token__401(client: TestClient) -> None:
    response = client.get(SEARCH)
    assert response.status_code == 401
    assert response.json()["name"] == "AuthenticationRequired"
