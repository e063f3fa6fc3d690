"""GET /api/admin/projects and /api/admin/environments, as Unleash 7.5.1 lists them."""

from __future__ import annotations

from fastapi.testclient import TestClient

from support import ADMIN, CLIENT, without

FEAT = "/api/admin/projects/default/features"


def test_list_projects__fresh__default_project(client: TestClient) -> None:
    response = client.get("/api/admin/projects", headers=ADMIN)
    assert response.status_code == 200
    body = response.json()
    assert body["projects"][0].pop("createdAt").endswith("Z")
    assert body == {
        "version": 1,
        "projects": [
            {
                "name": "Default",
                "id": "default",
                "description": "Default project",
                "health": 100,
                "technicalDebt": 0,
                "featureCount": 0,
                "memberCount": 0,
                "archivedAt": None,
                "mode": "open",
                "lastReportedFlagUsage": None,
                "lastUpdatedAt": None,
                "onboardingStatus": {"status": "onboarding-started"},
                "owners": [{"ownerType": "system"}],
            }
        ],
    }


def test_list_projects__counts_live_flags_and_last_flag_event(client: TestClient) -> None:
    for name in ("flag-a", "flag-b"):
        assert client.post(FEAT, headers=ADMIN, json={"name": name}).status_code == 201
    client.delete(f"{FEAT}/flag-b", headers=ADMIN)
    project = client.get("/api/admin/projects", headers=ADMIN).json()["projects"][0]
    assert project["featureCount"] == 1
    events = client.get("/api/admin/events", headers=ADMIN).json()["events"]
    assert project["lastUpdatedAt"] == events[0]["createdAt"]
    # As Unleash 8.2 lists it: the project's first live flag until an SDK reports one.
    assert project["onboardingStatus"] == {"status": "first-flag-created", "feature": "flag-a"}


def test_list_projects__client_token__403(client: TestClient) -> None:
    assert client.get("/api/admin/projects", headers=CLIENT).status_code == 403


def test_list_projects__no_token__401(client: TestClient) -> None:
    response = client.get("/api/admin/projects")
    assert response.status_code == 401
    assert response.json()["name"] == "AuthenticationRequired"


def test_list_environments__counts(client: TestClient) -> None:
    assert client.post(FEAT, headers=ADMIN, json={"name": "flag-a"}).status_code == 201
    client.post(f"{FEAT}/flag-a/environments/development/on", headers=ADMIN)
    response = client.get("/api/admin/environments", headers=ADMIN)
    assert response.status_code == 200
    assert response.json() == {
        "version": 1,
        "environments": [
            {
                "name": "development",
                "type": "development",
                "sortOrder": 2,
                "enabled": True,
                "protected": False,
                "requiredApprovals": None,
                "projectCount": 1,
                # The client and frontend tokens the tests start with.
                "apiTokenCount": 2,
                "enabledToggleCount": 1,
            },
            {
                "name": "production",
                "type": "production",
                "sortOrder": 3,
                "enabled": True,
                "protected": False,
                "requiredApprovals": None,
                "projectCount": 1,
                "apiTokenCount": 0,
                "enabledToggleCount": 0,
            },
        ],
    }


def test_get_project__not_in_unleash_7__404_unknown_path(client: TestClient) -> None:
    response = client.get("/api/admin/projects/default", headers=ADMIN)
    assert response.status_code == 404
    assert without(response.json(), "id") == {
        "name": "NotFoundError",
        "message": "The path you were looking for (/api/admin/projects/default) is not available.",
        "details": [
            {
                "message": "The path you were looking for (/api/admin/projects/default) is not "
                "available."
            }
        ],
    }
