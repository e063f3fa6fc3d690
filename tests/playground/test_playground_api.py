"""POST /api/admin/playground: project selection, freshness, how the context is read, OpenAPI."""

from __future__ import annotations

from typing import Any

import playground_scenario as scenario
import pytest
from fastapi.testclient import TestClient
from playground_scenario import c, rollout
from playground_setup import add_dependency, set_up

from leash.formats import is_date_time
from support import ADMIN, add_project

PLAYGROUND = "/api/admin/playground"
FEATURES = "/api/admin/projects/{project}/features"


def _flag(
    client: TestClient, name: str, *strategies: dict[str, Any], project: str = "default"
) -> None:
    base = FEATURES.format(project=project)
    assert client.post(base, headers=ADMIN, json={"name": name}).status_code == 201
    for strategy in strategies:
        path = f"{base}/{name}/environments/development/strategies"
        assert client.post(path, headers=ADMIN, json=strategy).status_code == 200
    assert (
        client.post(f"{base}/{name}/environments/development/on", headers=ADMIN).status_code == 200
    )


def _play(client: TestClient, context: dict[str, Any], **body: Any) -> dict[str, dict[str, Any]]:
    response = client.post(
        PLAYGROUND, headers=ADMIN, json={"environment": "development", "context": context, **body}
    )
    assert response.status_code == 200, response.text
    return {f["name"]: f for f in response.json()["features"]}


def test_playground__projects_list__only_those_projects(client: TestClient) -> None:
    add_project(client.app.state.db, "mobile")  # type: ignore[attr-defined]
    _flag(client, "web-flag", rollout("web-flag"))
    _flag(client, "app-flag", rollout("app-flag"), project="mobile")

    assert sorted(_play(client, {"appName": "a"}, projects=["mobile"])) == ["app-flag"]
    assert sorted(_play(client, {"appName": "a"}, projects="*")) == ["app-flag", "web-flag"]
    assert sorted(_play(client, {"appName": "a"})) == ["app-flag", "web-flag"]
    assert _play(client, {"appName": "a"}, projects=["mobile"])["app-flag"]["projectId"] == "mobile"


def test_playground__parent_in_unselected_project__dependency_unsatisfied(
    client: TestClient,
) -> None:
    add_project(client.app.state.db, "mobile")  # type: ignore[attr-defined]
    _flag(client, "parent", rollout("parent"))
    _flag(client, "child", rollout("child"), project="mobile")
    add_dependency(client, child="child", parent="parent", enabled=True, variants=None)

    everywhere = _play(client, {"appName": "a"})["child"]
    alone = _play(client, {"appName": "a"}, projects=["mobile"])["child"]

    assert (everywhere["isEnabled"], everywhere["hasUnsatisfiedDependency"]) == (True, False)
    assert (alone["isEnabled"], alone["hasUnsatisfiedDependency"]) == (False, True)


def test_playground__archived_flag__left_out(client: TestClient) -> None:
    _flag(client, "kept", rollout("kept"))
    _flag(client, "gone", rollout("gone"))
    assert (
        client.delete(FEATURES.format(project="default") + "/gone", headers=ADMIN).status_code
        == 202
    )

    assert sorted(_play(client, {"appName": "a"})) == ["kept"]


def test_playground__flag_switched_off__next_answer_says_so(client: TestClient) -> None:
    _flag(client, "switch", rollout("switch"))
    assert _play(client, {"appName": "a"})["switch"]["isEnabled"] is True
    path = FEATURES.format(project="default") + "/switch/environments/development/off"
    assert client.post(path, headers=ADMIN).status_code == 200

    after = _play(client, {"appName": "a"})["switch"]

    assert (after["isEnabled"], after["isEnabledInCurrentEnvironment"]) == (False, False)
    assert after["strategies"]["result"] is True


@pytest.mark.parametrize(
    ("context", "enabled"),
    [
        ({"appName": "a"}, True),
        ({"appName": "a", "environment": "development"}, False),
        ({"appName": "a", "environment": "default"}, True),
    ],
)
def test_playground__environment_constraint__reads_the_context_environment_default_default(
    client: TestClient, context: dict[str, Any], enabled: bool
) -> None:
    # Unleash's playground evaluates with the context's own environment, "default" if unset,
    # not with the environment the request asks about.
    _flag(client, "env", rollout("env", constraints=[c("environment", "IN", values=["default"])]))

    assert _play(client, context)["env"]["isEnabled"] is enabled


@pytest.mark.parametrize(("tenant", "enabled"), [("5", True), (5, False)])
def test_playground__unknown_top_level_field__only_strings_match(
    client: TestClient, tenant: Any, enabled: bool
) -> None:
    _flag(client, "tenant", rollout("tenant", constraints=[c("tenant", "IN", values=["5"])]))

    result = _play(client, {"appName": "a", "tenant": tenant})["tenant"]

    assert result["isEnabled"] is enabled
    assert result["strategies"]["data"][0]["constraints"][0]["result"] is enabled


def test_playground__segment_constraints__explained_with_their_own_results(
    client: TestClient,
) -> None:
    segment = client.post(
        "/api/admin/segments",
        headers=ADMIN,
        json={
            "name": "nordics",
            "constraints": [
                c("country", "IN", values=["NO", "SE"]),
                c("plan", "IN", values=["pro"], inverted=True),
            ],
        },
    ).json()["id"]
    _flag(client, "nordic", rollout("nordic", segments=[segment]))

    [data] = _play(client, {"appName": "a", "properties": {"country": "NO", "plan": "pro"}})[
        "nordic"
    ]["strategies"]["data"]

    assert data["segments"] == [
        {
            "name": "nordics",
            "id": segment,
            "result": False,
            "constraints": [
                {
                    "contextName": "country",
                    "operator": "IN",
                    "values": ["NO", "SE"],
                    "result": True,
                },
                {
                    "contextName": "plan",
                    "operator": "IN",
                    "values": ["pro"],
                    "inverted": True,
                    "result": False,
                },
            ],
        }
    ]
    assert data["result"] == {"enabled": False, "evaluationStatus": "complete"}


def test_playground__scenario__every_flag_listed_in_name_order(client: TestClient) -> None:
    set_up(client)

    names = list(_play(client, {"appName": "a"}))

    assert names == sorted(names)
    assert sorted(names) == sorted(scenario.flag_names(scenario.SETUP))


def test_openapi__playground__unleash_operation_id_and_request_schema(client: TestClient) -> None:
    document = client.get("/docs/openapi.json").json()

    operation = document["paths"]["/api/admin/playground"]["post"]

    assert operation["operationId"] == "getPlayground"
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert schema["required"] == ["environment", "context"]
    assert schema["properties"]["context"]["required"] == ["appName"]


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("2030-01-01T00:00:00Z", True),
        ("2030-01-01T00:00:00.123+05:30", True),
        ("2030-01-01T00:00:00-0800", True),
        ("2028-02-29T00:00:00Z", True),
        ("2030-02-29T00:00:00Z", False),
        ("2030-13-01T00:00:00Z", False),
        ("2030-01-01T23:60:00Z", False),
        ("2016-12-31T23:59:60Z", True),
        ("2016-12-31T23:59:60+01:00", False),
        ("2017-01-01T00:59:60+01:00", True),
        ("2030-01-01T00:00Z", False),
        ("2030-01-01", False),
    ],
)
def test_is_date_time__ajv_full_format(text: str, valid: bool) -> None:
    assert is_date_time(text) is valid


def test_playground__viewer_session__allowed_as_unleash_asks_no_permission(
    client: TestClient,
) -> None:
    viewer_role = 3
    password = "Very-Secret-Pass-123!"
    created = client.post(
        "/api/admin/user-admin",
        headers=ADMIN,
        json={
            "username": "viewer",
            "rootRole": viewer_role,
            "password": password,
            "sendEmail": False,
        },
    )
    assert created.status_code == 201, created.text
    login = client.post("/auth/simple/login", json={"username": "viewer", "password": password})
    assert login.status_code == 200, login.text

    response = client.post(
        PLAYGROUND, json={"environment": "development", "context": {"appName": "a"}}
    )

    assert response.status_code == 200, response.text
    assert response.json()["features"] == []
