"""A project's reports: getProjectOverview, getProjectHealthReport, getProjectInsights,
getProjectStatus, getProjectDora, getProjectFlagCreators, getProjectApplications and
getOutdatedProjectSdks, compared with Unleash 8.2's recorded answers (fixtures/reports.json)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, update

from flagkit import add_strategy, create_flag, switch
from leash.config import Settings
from leash.db import create_db_engine
from leash.db.base import utcnow
from leash.events.models import events
from leash.features.models import features
from support import ADMIN, CLIENT

REFERENCE: dict[str, Any] = json.loads(
    (Path(__file__).parent / "fixtures" / "reports.json").read_text()
)
PROJECT = "/api/admin/projects/{project}/{report}"
REPORTS = (
    "overview",
    "status",
    "health-report",
    "flag-creators",
    "insights",
    "dora",
    "applications",
    "sdks/outdated",
)


def placeholders(value: Any) -> Any:
    """Timestamps and dates as the fixtures hold them."""
    if isinstance(value, dict):
        return {k: placeholders(v) for k, v in value.items()}
    if isinstance(value, list):
        return [placeholders(v) for v in value]
    if isinstance(value, str) and len(value) == 24 and value.endswith("Z") and value[10] == "T":
        return "<timestamp>"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return "<date>"
    return value


def shape(value: Any) -> Any:
    """Keys (in order) and JSON types, a list by its first item."""
    if isinstance(value, dict):
        return [(k, shape(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return type(value).__name__


def get(client: TestClient, report: str, project: str = "default") -> Any:
    return client.get(PROJECT.format(project=project, report=report), headers=ADMIN)


def engine(settings: Settings) -> Engine:
    return create_db_engine(settings.database_url)


def age_flag(db: Engine, name: str, *, days: int) -> None:
    with db.begin() as conn:
        conn.execute(
            update(features)
            .where(features.c.name == name)
            .values(created_at=utcnow() - timedelta(days=days))
        )


def reference_like_project(client: TestClient) -> None:
    """Flags as the reference's default project had them: one on in development with a
    strategy, a kill switch, one archived, a default strategy in development."""
    create_flag(client, "h6-a")
    add_strategy(client, "h6-a")
    switch(client, "h6-a")
    create_flag(client, "h6-k", type="kill-switch")
    create_flag(client, "h6-gone")
    assert client.delete("/api/admin/projects/default/features/h6-gone", headers=ADMIN)
    default = {
        "name": "flexibleRollout",
        "disabled": False,
        "parameters": {"groupId": "", "rollout": "100", "stickiness": "default"},
        "constraints": [],
    }
    url = "/api/admin/projects/default/environments/development/default-strategy"
    assert client.post(url, headers=ADMIN, json=default).status_code == 200


@pytest.mark.parametrize("report", REPORTS)
def test_report__default_project__shaped_as_unleash(client: TestClient, report: str) -> None:
    reference_like_project(client)
    response = get(client, report)
    expected = REFERENCE[f"{report} default"]
    assert response.status_code == expected["status"]
    assert shape(response.json()) == shape(expected["body"])


@pytest.mark.parametrize("report", REPORTS)
def test_report__unknown_project__as_unleash(client: TestClient, report: str) -> None:
    # The reference's h6-nope had one event (a removal of an environment it never had).
    assert client.delete("/api/admin/projects/h6-nope/environments/production", headers=ADMIN)
    response = get(client, report, project="h6-nope")
    expected = REFERENCE[f"{report} h6-nope"]
    assert (response.status_code, placeholders(response.json())) == (
        expected["status"],
        expected["body"],
    )


@pytest.mark.parametrize("report", REPORTS)
def test_report__client_token__403(client: TestClient, report: str) -> None:
    response = client.get(PROJECT.format(project="default", report=report), headers=CLIENT)
    assert response.status_code == 403


@pytest.mark.parametrize("report", REPORTS)
def test_report__no_token__401(client: TestClient, report: str) -> None:
    assert client.get(PROJECT.format(project="default", report=report)).status_code == 401


def test_overview__values_of_the_reference_project(client: TestClient) -> None:
    reference_like_project(client)
    body = placeholders(get(client, "overview").json())
    expected = REFERENCE["overview default"]["body"]
    for key in ("stats", "name", "description", "mode", "featureNaming", "health", "favorite"):
        assert body[key] == expected[key]
    assert body["environments"] == expected["environments"]
    assert body["onboardingStatus"] == {"status": "first-flag-created", "feature": "h6-a"}
    assert body["featureTypeCounts"] == [
        {"type": "kill-switch", "count": 1},
        {"type": "release", "count": 1},
    ]


def test_overview__no_flags__onboarding_started(client: TestClient) -> None:
    body = get(client, "overview").json()
    assert body["onboardingStatus"] == {"status": "onboarding-started"}
    assert body["featureTypeCounts"] == []
    assert body["environments"] == [{"environment": "development"}, {"environment": "production"}]


def test_health_report__flags_and_their_environments(client: TestClient) -> None:
    reference_like_project(client)
    body = get(client, "health-report").json()
    assert [f["name"] for f in body["features"]] == ["h6-a", "h6-k"]
    assert placeholders(body["features"][0]) == {
        "type": "release",
        "description": None,
        "favorite": False,
        "name": "h6-a",
        "createdAt": "<timestamp>",
        "stale": False,
        "impressionData": False,
        "environments": [
            {
                "name": "development",
                "enabled": True,
                "type": "development",
                "sortOrder": 2,
                "variantCount": 0,
                "lastSeenAt": None,
                "hasStrategies": True,
                "hasEnabledStrategies": True,
            },
            {
                "name": "production",
                "enabled": False,
                "type": "production",
                "sortOrder": 3,
                "variantCount": 0,
                "lastSeenAt": None,
                "hasStrategies": False,
                "hasEnabledStrategies": False,
            },
        ],
    }
    assert (body["potentiallyStaleCount"], body["activeCount"], body["staleCount"]) == (0, 2, 0)


def test_status_and_insights__stale_and_potentially_stale(
    client: TestClient, settings: Settings
) -> None:
    for name in ("h6-a", "h6-b", "h6-c", "h6-d"):
        create_flag(client, name)
    patch = [{"op": "replace", "path": "/stale", "value": True}]
    response = client.patch("/api/admin/projects/default/features/h6-a", headers=ADMIN, json=patch)
    assert response.status_code == 200, response.text
    age_flag(engine(settings), "h6-b", days=41)  # a release flag lives 40 days
    status = get(client, "status").json()
    # 100 - 25% stale - 25% potentially stale.
    assert (status["health"], status["technicalDebt"]) == ({"current": 50}, {"current": 50})
    assert status["staleFlags"] == {"total": 1}
    insights = get(client, "insights").json()
    counts = {"activeCount": 3, "potentiallyStaleCount": 1, "staleCount": 1}
    assert insights["technicalDebt"] == {"rating": 0, **counts}
    assert insights["health"] == {"rating": 100, **counts}


def test_status__lifecycle_and_activity(client: TestClient) -> None:
    reference_like_project(client)
    status = get(client, "status").json()
    assert status["lifecycleSummary"] == {
        "initial": {"averageDays": 0, "currentFlags": 2},
        "preLive": {"averageDays": None, "currentFlags": 0},
        "live": {"averageDays": None, "currentFlags": 0},
        "completed": {"averageDays": None, "currentFlags": 0},
        "archived": {"currentFlags": 1, "last30Days": 1},
    }
    listed = client.get("/api/admin/events", headers=ADMIN).json()["events"]
    today = utcnow().strftime("%Y-%m-%d")
    expected = sum(1 for e in listed if e["project"] == "default")
    assert status["activityCountByDate"] == [{"date": today, "count": expected}]


def test_status__project_tokens_counted(client: TestClient) -> None:
    for projects in (["default"], ["*"]):
        created = client.post(
            "/api/admin/api-tokens",
            headers=ADMIN,
            json={
                "tokenName": "t",
                "type": "client",
                "environment": "development",
                "projects": projects,
            },
        )
        assert created.status_code == 201, created.text
    assert get(client, "status").json()["resources"] == {
        "members": 0,
        "apiTokens": 1,
        "segments": 0,
    }


def test_dora__time_to_production_of_release_flags(
    client: TestClient, settings: Settings
) -> None:
    db = engine(settings)
    for name, kind in (("h6-r", "release"), ("h6-s", "release"), ("h6-k", "kill-switch")):
        create_flag(client, name, type=kind)
        age_flag(db, name, days=3)
        add_strategy(client, name, environment="production")
        switch(client, name, environment="production")
    age_flag(db, "h6-s", days=0)
    with db.begin() as conn:  # h6-s's enable event predates its (new) creation: not counted
        conn.execute(
            update(events)
            .where(events.c.feature_name == "h6-s")
            .values(created_at=utcnow() - timedelta(days=1))
        )
    assert get(client, "dora").json() == {
        "features": [{"name": "h6-r", "timeToProduction": 3}],
        "projectAverage": 3,
    }
    assert get(client, "insights").json()["leadTime"] == get(client, "dora").json()


def test_dora__same_day__average_shown_as_a_tenth(client: TestClient) -> None:
    create_flag(client, "h6-r")
    add_strategy(client, "h6-r", environment="production")
    switch(client, "h6-r", environment="production")
    assert get(client, "dora").json() == {
        "features": [{"name": "h6-r", "timeToProduction": 0}],
        "projectAverage": 0.1,
    }


def test_flag_creators__the_admin_token_user_as_unleash(client: TestClient) -> None:
    reference_like_project(client)
    response = get(client, "flag-creators")
    assert response.json() == REFERENCE["flag-creators default"]["body"]


def test_health_report__tagged_flag__its_tags_untagged_flag__no_key(client: TestClient) -> None:
    # As recorded from 8.2: `tags` ({value, type}) only on a flag that has tags.
    create_flag(client, "h6-tagged")
    create_flag(client, "h6-plain")
    for value in ("zz", "aa"):
        tag = {"type": "simple", "value": value}
        response = client.post("/api/admin/features/h6-tagged/tags", headers=ADMIN, json=tag)
        assert response.status_code == 201, response.text
    features = {f["name"]: f for f in get(client, "health-report").json()["features"]}
    assert features["h6-tagged"]["tags"] == [
        {"value": "aa", "type": "simple"},
        {"value": "zz", "type": "simple"},
    ]
    assert "tags" not in features["h6-plain"]
