"""The calling user's favorites in the views Unleash 8.2 shows them in (fixtures/views.json):
getProjects and getFeature show `favorite` to users only (no key for an API token);
getFeatures, getProjectOverview and the search show it to everyone (false for a token);
getProjectHealthReport always says false."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from support import ADMIN

REFERENCE: dict[str, Any] = json.loads(
    (Path(__file__).parent / "fixtures" / "views.json").read_text()
)
P = "/api/admin/projects/default"
PASSWORD = "unleash4all"  # the first admin's, as the reference's
VIEWS = {
    "getProjects": "/api/admin/projects",
    "getFeature": P + "/features/fav1",
    "getFeatures": P + "/features",
    "getProjectOverview": P + "/overview",
    "getProjectHealthReport": P + "/health-report",
    "searchFeatures": "/api/admin/search/features",
}
ABSENT = "<absent>"


def _mark(item: dict[str, Any]) -> tuple[Any, Any]:
    """An object's `favorite` (or its absence) and the key shown before it."""
    keys = list(item)
    if "favorite" not in item:
        return (ABSENT, None)
    at = keys.index("favorite")
    return (item["favorite"], keys[at - 1] if at else None)


def favorites_shown(body: Any) -> Any:
    """What a view says of favorites: of the object, and of each listed project or flag."""
    shown: dict[str, Any] = {"self": _mark(body)}
    for key in ("projects", "features"):
        for item in body.get(key, []):
            shown[f"{key}/{item.get('name')}"] = _mark(item)
    return shown


def _reference_state(client: TestClient) -> dict[str, str]:
    """As recorded: the first admin's session created fav1 and nofav, favorited fav1 and the
    default project."""
    login = client.post("/auth/simple/login", json={"username": "admin", "password": PASSWORD})
    assert login.status_code == 200, login.text
    json_type = {"Content-Type": "application/json"}
    for name in ("fav1", "nofav"):
        created = client.post(P + "/features", json={"name": name})
        assert created.status_code == 201, created.text
    assert client.post(P + "/features/fav1/favorites", headers=json_type).status_code == 200
    assert client.post(P + "/favorites", headers=json_type).status_code == 200
    return json_type


@pytest.mark.parametrize("operation", list(VIEWS))
def test_favorite__session_user__shown_as_unleash(client: TestClient, operation: str) -> None:
    _reference_state(client)
    response = client.get(VIEWS[operation])
    expected = REFERENCE[f"{operation} (session)"]
    assert response.status_code == expected["status"]
    assert favorites_shown(response.json()) == favorites_shown(expected["body"])


@pytest.mark.parametrize("operation", list(VIEWS))
def test_favorite__admin_token__shown_as_unleash(client: TestClient, operation: str) -> None:
    _reference_state(client)
    client.cookies.clear()
    response = client.get(VIEWS[operation], headers=ADMIN)
    expected = REFERENCE[f"{operation} (admin token)"]
    assert response.status_code == expected["status"]
    assert favorites_shown(response.json()) == favorites_shown(expected["body"])


def test_favorite__after_unfavorite__false_again(client: TestClient) -> None:
    json_type = _reference_state(client)
    assert client.delete(P + "/features/fav1/favorites", headers=json_type).status_code == 200
    assert client.delete(P + "/favorites", headers=json_type).status_code == 200
    assert client.get(P + "/features/fav1").json()["favorite"] is False
    listed = client.get(P + "/features").json()["features"]
    assert [(f["name"], f["favorite"]) for f in listed] == [("fav1", False), ("nofav", False)]
    assert client.get(P + "/overview").json()["favorite"] is False
    projects = client.get("/api/admin/projects").json()["projects"]
    assert [(p["id"], p["favorite"]) for p in projects] == [("default", False)]


def test_favorite__another_user__sees_none(client: TestClient) -> None:
    _reference_state(client)
    client.cookies.clear()
    created = client.post(
        "/api/admin/user-admin",
        headers=ADMIN,
        json={"username": "bob", "rootRole": 2, "password": "Very-Secret-Pass-123!"},
    )
    assert created.status_code == 201, created.text
    login = client.post(
        "/auth/simple/login", json={"username": "bob", "password": "Very-Secret-Pass-123!"}
    )
    assert login.status_code == 200
    assert client.get(P + "/features/fav1").json()["favorite"] is False
    assert client.get(P + "/overview").json()["favorite"] is False
    projects = client.get("/api/admin/projects").json()["projects"]
    assert [(p["id"], p["favorite"]) for p in projects] == [("default", False)]
