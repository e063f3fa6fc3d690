"""The audit log: who did what, /api/admin/events and /api/admin/search/events with its
filters, paging, labels and summaries. Expected bodies from the reference Unleash 7.5.1."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from support import ADMIN

PASSWORD = "Very-Secret-Pass-123!"


def search(client: TestClient, query: str, headers: dict[str, str] = ADMIN) -> dict[str, Any]:
    response = client.get(f"/api/admin/search/events?{query}", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def segment(client: TestClient, name: str, headers: dict[str, str] = ADMIN, **extra: Any) -> int:
    response = client.post(
        "/api/admin/segments", headers=headers, json={"name": name, "constraints": [], **extra}
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def editor(client: TestClient, username: str, role: int = 2) -> tuple[int, dict[str, str]]:
    created = client.post(
        "/api/admin/user-admin",
        headers=ADMIN,
        json={"username": username, "rootRole": role, "password": PASSWORD},
    )
    client.post("/auth/simple/login", json={"username": username, "password": PASSWORD})
    pat = client.post(
        "/api/admin/user/tokens", json={"description": "t", "expiresAt": "2099-01-01T00:00:00Z"}
    )
    client.cookies.clear()
    return int(created.json()["id"]), {"Authorization": pat.json()["secret"]}


def test_search__segment_created__label_summary_and_who(client: TestClient) -> None:
    segment(client, "by-token")
    body = search(client, "type=IS:segment-created&limit=2")
    assert body["total"] == 1
    event = body["events"][0]
    assert event["createdBy"] == "admin"
    assert event["createdByUserId"] == -42
    assert event["label"] == "Segment created"
    assert event["summary"] == "**admin** created segment **by-token**"
    assert list(event)[:11] == [
        "id", "type", "createdBy", "createdAt", "createdByUserId", "data", "preData", "tags",
        "featureName", "project", "environment",
    ]


def test_search__user_actions__attributed_to_the_user(client: TestClient) -> None:
    user_id, headers = editor(client, "alice")
    segment_id = segment(client, "hers", headers)
    client.put(
        f"/api/admin/segments/{segment_id}", headers=headers, json={"name": "hers-2",
                                                                   "constraints": []}
    )
    body = search(client, f"createdBy=IS:{user_id}")
    assert [(e["type"], e["createdBy"]) for e in body["events"]] == [
        ("segment-updated", "alice"),
        ("segment-created", "alice"),
        ("pat-created", "alice"),
    ]
    assert body["events"][0]["summary"] == "**alice** updated segment **hers**"
    assert body["events"][2]["data"]["secret"] == "***"


def test_search__filters_combine(client: TestClient) -> None:
    segment(client, "one")
    segment(client, "two", project="default")
    segment_id = segment(client, "three")
    client.delete(f"/api/admin/segments/{segment_id}", headers=ADMIN)
    both = search(client, "type=IS_ANY_OF:segment-created,segment-deleted")
    assert both["total"] == 4
    assert search(client, "project=IS:default&type=IS:segment-created")["total"] == 1
    assert search(client, "createdBy=IS:-42&type=IS:segment-deleted")["total"] == 1
    assert search(client, "query=THREE&type=IS_ANY_OF:segment-created,segment-deleted")[
        "total"
    ] == 2
    assert search(client, "createdBy=IS:nobody")["total"] == 0


def test_search__date_range(client: TestClient) -> None:
    segment(client, "dated")
    today = datetime.now(UTC).date()
    tomorrow = today + timedelta(days=1)
    assert search(client, f"type=IS:segment-created&from=IS:{today}&to=IS:{today}")["total"] == 1
    assert search(client, f"type=IS:segment-created&from=IS:{tomorrow}")["total"] == 0
    yesterday = today - timedelta(days=1)
    assert search(client, f"type=IS:segment-created&to=IS:{yesterday}")["total"] == 0


def test_search__paging(client: TestClient) -> None:
    for n in range(5):
        segment(client, f"page-{n}")
    first = search(client, "type=IS:segment-created&limit=2")
    second = search(client, "type=IS:segment-created&limit=2&offset=2")
    assert first["total"] == second["total"] == 5
    names = [e["data"]["name"] for e in first["events"] + second["events"]]
    assert names == ["page-4", "page-3", "page-2", "page-1"]
    # A limit out of range falls back to 50, as Unleash's normalizeQueryParams does.
    assert len(search(client, "limit=abc")["events"]) == min(50, search(client, "")["total"])


@pytest.mark.parametrize(
    ("param", "value", "pattern"),
    [
        ("type", "segment-created", r"^(IS|IS_ANY_OF):(.*?)(,([a-zA-Z0-9_]+))*$"),
        ("from", "2026-11-22", r"^(IS):\d{4}-\d{2}-\d{2}$"),
    ],
)
def test_search__bad_operator__400(
    client: TestClient, param: str, value: str, pattern: str
) -> None:
    response = client.get(f"/api/admin/search/events?{param}={value}", headers=ADMIN)
    assert response.status_code == 400
    body = response.json()
    assert isinstance(body.pop("id"), str)
    assert body["details"] == [
        {
            "message": f'The `/query/{param}` property must match pattern "{pattern}". '
            f'You sent "{value}".',
            "path": f"/query/{param}",
        }
    ]


def test_search__non_admin_sees_only_project_events(client: TestClient) -> None:
    segment(client, "global-one")
    segment(client, "project-one", project="default")
    _, headers = editor(client, "bob")
    body = search(client, "type=IS:segment-created", headers)
    assert [e["data"]["name"] for e in body["events"]] == ["project-one"]


def test_events__project_filter_and_admin_only(client: TestClient) -> None:
    segment(client, "g")
    segment(client, "p", project="default")
    body = client.get("/api/admin/events?project=default", headers=ADMIN).json()
    assert [e["data"]["name"] for e in body["events"] if e["type"] == "segment-created"] == ["p"]
    assert all(e["project"] == "default" for e in body["events"])
    _, viewer = editor(client, "carol", role=3)
    response = client.get("/api/admin/events", headers=viewer)
    assert response.status_code == 403
    assert response.json()["permissions"] == ["ADMIN"]


def test_events__system_actor__minus_1337(client: TestClient) -> None:
    created = search(client, "type=IS:api-token-created")["events"]
    assert {(e["createdBy"], e["createdByUserId"]) for e in created} == {
        ("unleash_system_user", -1337)
    }
    assert created[0]["label"] == "API token created"
