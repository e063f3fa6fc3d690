"""POST /api/admin/playground/advanced (getAdvancedPlayground): environments x combinations of
comma-separated context values, against answers recorded from the reference Unleash 8.2.0
(advanced/advanced_8_2.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from support import ADMIN, BAD_DATA_ONE

RECORDED: dict[str, Any] = json.loads(
    (Path(__file__).parent / "advanced" / "advanced_8_2.json").read_text()
)
ADVANCED = "/api/admin/playground/advanced"
FLAG = "/api/admin/projects/default/features/h7-adv"


def _set_up(client: TestClient) -> None:
    created = client.post(
        "/api/admin/projects/default/features", headers=ADMIN, json={"name": "h7-adv"}
    )
    assert created.status_code == 201, created.text
    strategy = {
        "name": "flexibleRollout",
        "parameters": {"rollout": "100", "stickiness": "default", "groupId": "h7-adv"},
        "constraints": [{"contextName": "userId", "operator": "IN", "values": ["a"]}],
    }
    added = client.post(f"{FLAG}/environments/development/strategies", headers=ADMIN, json=strategy)
    assert added.status_code == 200, added.text
    assert client.post(f"{FLAG}/environments/development/on", headers=ADMIN).status_code == 200


def _ids_hidden(body: Any) -> Any:
    if isinstance(body, dict):
        return {
            k: (
                "<id>"
                if k == "id" and isinstance(v, str)
                else v.split("strategyId=")[0] + "strategyId=<id>"
                if k == "edit"
                else _ids_hidden(v)
            )
            for k, v in body.items()
        }
    if isinstance(body, list):
        return [_ids_hidden(item) for item in body]
    return body


@pytest.mark.parametrize("case", ["two_envs_two_users", "properties_lifted", "unknown_environment"])
def test_advanced_playground__recorded_cases__as_unleash(client: TestClient, case: str) -> None:
    _set_up(client)
    recorded = RECORDED[case]
    response = client.post(ADVANCED, headers=ADMIN, json=recorded["request"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["input"] == recorded["input"]
    assert body.get("warnings") == recorded["warnings"]
    [feature] = body["features"]
    assert _ids_hidden(feature) == recorded["feature"]


@pytest.mark.parametrize(
    "case", ["no_environments", "bad_environment", "missing_context", "no_project_flags"]
)
def test_advanced_playground__bad_or_empty__as_unleash(client: TestClient, case: str) -> None:
    _set_up(client)
    recorded = RECORDED[case]
    response = client.post(ADVANCED, headers=ADMIN, json=recorded["request"])
    body = response.json()
    if "id" in body:
        body["id"] = "<uuid>"
    assert body == recorded["answer"]
    assert response.status_code == (200 if "features" in body else 400)


def test_advanced_playground__over_15000_evaluations__400(client: TestClient) -> None:
    _set_up(client)
    users = ",".join(str(n) for n in range(7501))
    response = client.post(
        ADVANCED,
        headers=ADMIN,
        json={
            "environments": ["development", "production"],
            "context": {"appName": "x", "userId": users},
        },
    )
    reason = (
        "Rejecting evaluation as it would generate 15002 combinations exceeding 15000 limit. "
        "Please reduce the number of selected environments (2), features (1), context field "
        "combinations (7501)."
    )
    assert response.status_code == 400
    assert response.json() == {
        "name": "BadDataError",
        "message": BAD_DATA_ONE + reason,
        "details": [{"message": reason}],
    }


def test_advanced_playground__no_flags__huge_product_not_generated(client: TestClient) -> None:
    values = ",".join("v" for _ in range(100))
    context = {"appName": "x", "properties": {f"p{n}": values for n in range(30)}}
    response = client.post(
        ADVANCED, headers=ADMIN, json={"environments": ["development"], "context": context}
    )
    assert response.status_code == 200
    assert response.json()["features"] == []


def test_advanced_playground__no_credentials__401(client: TestClient) -> None:
    body = {"environments": ["development"], "context": {"appName": "x"}}
    assert client.post(ADVANCED, json=body).status_code == 401
