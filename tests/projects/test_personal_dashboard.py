"""getPersonalDashboard and getPersonalDashboardProjectDetails for a user's session, compared
with Unleash 8.2's answers to its admin user (fixtures/dashboard.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from support import ADMIN, CLIENT

REFERENCE: dict[str, Any] = json.loads(
    (Path(__file__).parent / "fixtures" / "dashboard.json").read_text()
)
PASSWORD = "unleash4all"  # the well-known first admin password, as the reference's
DASHBOARD = "/api/admin/personal-dashboard"


def login_admin(client: TestClient) -> int:
    """A session of the first admin (username only), as the reference's."""
    login = client.post("/auth/simple/login", json={"username": "admin", "password": PASSWORD})
    assert login.status_code == 200, login.text
    return int(login.json()["id"])


def as_reference_admin(body: Any, user_id: int) -> Any:
    """The answer with the user's id as the reference's (1)."""
    text = json.dumps(body).replace(f'"id": {user_id},', '"id": 1,')
    return json.loads(text)


def test_dashboard__admin_session__as_unleash(client: TestClient) -> None:
    user_id = login_admin(client)
    response = client.get(DASHBOARD)
    expected = REFERENCE["getPersonalDashboard"]["body"]
    expected["projects"][0]["featureCount"] = 0
    assert response.status_code == 200
    assert as_reference_admin(response.json(), user_id) == expected


def test_dashboard__flag_created_in_the_session__listed_as_unleash(client: TestClient) -> None:
    user_id = login_admin(client)
    created = client.post(
        "/api/admin/projects/default/features", json={"name": "h6-dash", "type": "operational"}
    )
    assert created.status_code == 201, created.text
    expected = REFERENCE["getPersonalDashboard after h6-dash"]["body"]
    expected["projects"][0]["featureCount"] = 1
    assert as_reference_admin(client.get(DASHBOARD).json(), user_id) == expected
    details = client.get(f"{DASHBOARD}/default").json()
    latest = details["latestEvents"][0]
    latest["createdAt"] = "<timestamp>"
    assert {**latest, "id": 794} == REFERENCE["latest event after h6-dash"]
    assert details["onboardingStatus"] == {"status": "first-flag-created", "feature": "h6-dash"}


def test_dashboard_details__as_unleash(client: TestClient) -> None:
    login_admin(client)
    body = client.get(f"{DASHBOARD}/default").json()
    expected = REFERENCE["getPersonalDashboardProjectDetails default"]["body"]
    assert body["owners"] == expected["owners"]
    assert body["roles"] == expected["roles"]
    assert body["insights"] == {
        **expected["insights"],
        "totalFlags": 0,
        "staleFlags": 0,
        "activeFlags": 0,
    }
    assert body["onboardingStatus"] == {"status": "onboarding-started"}
    assert body["latestEvents"] == []


def test_dashboard_details__latest_ten_events_newest_first(client: TestClient) -> None:
    login_admin(client)
    for n in range(12):
        assert client.post(
            "/api/admin/projects/default/features", json={"name": f"h6-{n:02d}"}
        ).status_code == 201
    events = client.get(f"{DASHBOARD}/default").json()["latestEvents"]
    assert [e["summary"].split("**")[3] for e in events] == [
        f"[h6-{n:02d}](http://localhost:4242/projects/default/features/h6-{n:02d})"
        for n in range(11, 1, -1)
    ]


def test_dashboard_details__unknown_project__404_as_unleash(client: TestClient) -> None:
    login_admin(client)
    response = client.get(f"{DASHBOARD}/h6-nope")
    expected = REFERENCE["getPersonalDashboardProjectDetails unknown"]
    assert (response.status_code, response.json()) == (expected["status"], expected["body"])


def test_dashboard__project_role__project_listed_with_role(client: TestClient) -> None:
    user_id = login_admin(client)
    client.cookies.clear()
    assigned = client.post(
        "/api/admin/projects/default/role/4/access",
        headers=ADMIN,
        json={"users": [{"id": user_id}], "groups": []},
    )
    assert assigned.status_code == 200, assigned.text
    login_admin(client)
    body = client.get(DASHBOARD).json()
    assert [p["id"] for p in body["projects"]] == ["default"]
    assert body["projects"][0]["memberCount"] == 1
    owner = body["projectOwners"]
    assert [(o["ownerType"], o["name"]) for o in owner] == [("user", "admin")]
    roles = client.get(f"{DASHBOARD}/default").json()["roles"]
    assert roles == [{"id": 4, "name": "Owner", "type": "project"}]


def test_dashboard__admin_token__its_user_in_no_project(client: TestClient) -> None:
    # Unleash 8.2 fails with a 500 for an API token (no user); leash answers its token user.
    body = client.get(DASHBOARD, headers=ADMIN).json()
    assert (body["projects"], body["flags"], body["projectOwners"]) == ([], [], [])


def test_dashboard__client_token__403(client: TestClient) -> None:
    assert client.get(DASHBOARD, headers=CLIENT).status_code == 403
    assert client.get(f"{DASHBOARD}/default", headers=CLIENT).status_code == 403


def test_dashboard__no_credentials__401(client: TestClient) -> None:
    assert client.get(DASHBOARD).status_code == 401
    assert client.get(f"{DASHBOARD}/default").status_code == 401
