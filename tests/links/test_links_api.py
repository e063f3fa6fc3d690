"""Flag links: created, updated, deleted, shown by getFeature; expected values are the answers
the reference Unleash 8.2.0 gave for the same calls."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

import flagkit
from support import ADMIN

F = "/api/admin/projects/default/features"


def _links(client: TestClient, flag: str) -> list[dict[str, Any]]:
    links: list[dict[str, Any]] = client.get(f"{F}/{flag}", headers=ADMIN).json()["links"]
    return links


def _events(client: TestClient) -> list[tuple[str, Any, Any]]:
    events = client.get("/api/admin/events", headers=ADMIN).json()["events"]
    return [(e["type"], e["data"], e["preData"]) for e in events if "link" in e["type"]]


def test_create_feature_link__normalised_url__204_shown_and_event(client: TestClient) -> None:
    flagkit.create_flag(client, "x1")
    body = {"url": "WWW.Example.com/Path/?b=2&a=1", "title": "t1"}
    response = client.post(f"{F}/x1/link", headers=ADMIN, json=body)
    assert (response.status_code, response.content) == (204, b"")
    response = client.post(
        f"{F}/x1/link", headers=ADMIN, json={"url": "https://github.com/org/repo"}
    )
    assert response.status_code == 204
    links = _links(client, "x1")
    assert [{k: v for k, v in link.items() if k != "id"} for link in links] == [
        {"url": "https://example.com/Path?a=1&b=2", "title": "t1", "feature": "x1"},
        {"url": "https://github.com/org/repo", "title": None, "feature": "x1"},
    ]
    assert all(len(link["id"]) == 26 for link in links)
    assert _events(client) == [
        ("feature-link-added", {"url": "https://github.com/org/repo"}, None),
        ("feature-link-added", {"url": "https://example.com/Path?a=1&b=2", "title": "t1"}, None),
    ]


def test_update_and_delete_feature_link__events_with_pre_data(client: TestClient) -> None:
    flagkit.create_flag(client, "x1")
    client.post(f"{F}/x1/link", headers=ADMIN, json={"url": "a.com", "title": "a"})
    link_id = _links(client, "x1")[0]["id"]
    response = client.put(
        f"{F}/x1/link/{link_id}", headers=ADMIN, json={"url": "b.com", "title": "b"}
    )
    assert response.status_code == 204
    assert _links(client, "x1")[0]["url"] == "https://b.com"
    assert client.delete(f"{F}/x1/link/{link_id}", headers=ADMIN).status_code == 204
    assert _links(client, "x1") == []
    assert _events(client)[:2] == [
        ("feature-link-removed", None, {"url": "https://b.com", "title": "b"}),
        (
            "feature-link-updated",
            {"url": "https://b.com", "title": "b"},
            {"url": "https://a.com", "title": "a"},
        ),
    ]


def test_create_feature_link__invalid_url__400(client: TestClient) -> None:
    flagkit.create_flag(client, "x1")
    response = client.post(f"{F}/x1/link", headers=ADMIN, json={"url": "not a url"})
    assert response.status_code == 400
    assert response.json() == {
        "name": "BadDataError",
        "message": "Request validation failed: your request body or params contain invalid "
        "data: Invalid URL: not a url",
        "details": [{"message": "Invalid URL: not a url"}],
    }


def test_create_feature_link__no_url__400(client: TestClient) -> None:
    flagkit.create_flag(client, "x1")
    response = client.post(f"{F}/x1/link", headers=ADMIN, json={})
    assert response.status_code == 400
    assert response.json()["details"] == [
        {
            "path": "/body/url",
            "message": "The `/body/url` property is required. It was not present on the data "
            "you sent.",
        }
    ]


def test_create_feature_link__unknown_flag__404(client: TestClient) -> None:
    response = client.post(f"{F}/nope/link", headers=ADMIN, json={"url": "x.com"})
    assert response.status_code == 404
    assert response.json()["message"] == "Could not find feature with name nope"


def test_update_and_delete_feature_link__unknown_link__404(client: TestClient) -> None:
    flagkit.create_flag(client, "x1")
    response = client.put(f"{F}/x1/link/nope", headers=ADMIN, json={"url": "a.com"})
    assert response.status_code == 404
    assert response.json()["message"] == "No item with id nope"
    assert client.delete(f"{F}/x1/link/nope", headers=ADMIN).status_code == 404


def test_create_feature_link__eleventh__403_too_many(client: TestClient) -> None:
    flagkit.create_flag(client, "x1")
    for i in range(10):
        assert (
            client.post(f"{F}/x1/link", headers=ADMIN, json={"url": f"a{i}.com"}).status_code == 204
        )
    response = client.post(f"{F}/x1/link", headers=ADMIN, json={"url": "b.com"})
    assert response.status_code == 403
    assert response.json()["message"] == "Too many links (10) exist for this feature"
