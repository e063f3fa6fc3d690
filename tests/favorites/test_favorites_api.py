"""Favorites: a user's own flags and projects, shown in the flag search; API tokens are no user
(Unleash 8.2 fails with a 500 for them; leash answers 400)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

import flagkit
from support import ADMIN

P = "/api/admin/projects/default"
PASSWORD = "Very-Secret-Pass-123!"
EDITOR = 2
JSON = {"Content-Type": "application/json"}


def _pat(client: TestClient, username: str) -> dict[str, str]:
    created = client.post(
        "/api/admin/user-admin",
        headers=ADMIN,
        json={"username": username, "rootRole": EDITOR, "password": PASSWORD},
    )
    assert created.status_code == 201, created.text
    login = client.post("/auth/simple/login", json={"username": username, "password": PASSWORD})
    assert login.status_code == 200
    pat = client.post(
        "/api/admin/user/tokens", json={"description": "t", "expiresAt": "2099-01-01T00:00:00Z"}
    )
    client.cookies.clear()
    return {"Authorization": pat.json()["secret"], **JSON}


def _favorites(client: TestClient, headers: dict[str, str], **params: str) -> list[Any]:
    body = client.get("/api/admin/search/features", headers=headers, params=params).json()
    return [(f["name"], f["favorite"]) for f in body["features"]]


def test_add_favorite_feature__shown_in_search_for_that_user_only(client: TestClient) -> None:
    flagkit.create_flag(client, "x1")
    flagkit.create_flag(client, "x2")
    alice, bob = _pat(client, "alice"), _pat(client, "bob")
    response = client.post(P + "/features/x2/favorites", headers=alice)
    assert (response.status_code, response.content) == (200, b"")
    # Twice is once.
    assert client.post(P + "/features/x2/favorites", headers=alice).status_code == 200
    assert _favorites(client, alice) == [("x1", False), ("x2", True)]
    assert _favorites(client, alice, favoritesFirst="true") == [("x2", True), ("x1", False)]
    assert _favorites(client, alice, favorite="IS:true") == [("x2", True)]
    assert _favorites(client, bob) == [("x1", False), ("x2", False)]
    assert client.delete(P + "/features/x2/favorites", headers=alice).status_code == 200
    assert _favorites(client, alice) == [("x1", False), ("x2", False)]
    events = client.get("/api/admin/events", headers=ADMIN).json()["events"]
    assert [(e["type"], e["featureName"], e["data"]) for e in events[:2]] == [
        ("feature-unfavorited", "x2", {"feature": "x2"}),
        ("feature-favorited", "x2", {"feature": "x2"}),
    ]


def test_add_favorite_feature__unknown_flag__404(client: TestClient) -> None:
    alice = _pat(client, "alice")
    response = client.post(P + "/features/nope/favorites", headers=alice)
    assert response.status_code == 404
    assert response.json()["message"] == "Feature with name nope did not exist"


def test_add_favorite_project__then_remove__events(client: TestClient) -> None:
    alice = _pat(client, "alice")
    assert client.post(P + "/favorites", headers=alice).status_code == 200
    assert client.delete(P + "/favorites", headers=alice).status_code == 200
    events = client.get("/api/admin/events", headers=ADMIN).json()["events"]
    assert [(e["type"], e["project"], e["data"]) for e in events[:2]] == [
        ("project-unfavorited", "default", {"project": "default"}),
        ("project-favorited", "default", {"project": "default"}),
    ]


def test_add_favorite_project__unknown_project__404(client: TestClient) -> None:
    alice = _pat(client, "alice")
    response = client.post("/api/admin/projects/nope/favorites", headers=alice)
    assert response.status_code == 404
    assert response.json()["message"] == "Project with id nope was not found"


def test_add_favorite_feature__admin_token__400_no_user(client: TestClient) -> None:
    flagkit.create_flag(client, "x1")
    response = client.post(P + "/features/x1/favorites", headers={**ADMIN, **JSON})
    assert response.status_code == 400
    assert response.json()["details"] == [
        {"message": "Favorites belong to a user: use a personal access token or a session"}
    ]


def test_add_favorite_feature__no_content_type__415(client: TestClient) -> None:
    flagkit.create_flag(client, "x1")
    alice = {k: v for k, v in _pat(client, "alice").items() if k != "Content-Type"}
    response = client.post(P + "/features/x1/favorites", headers=alice)
    assert response.status_code == 415
    assert response.json()["name"] == "ContentTypeError"
