"""POST /api/admin/playground with hostile context values and stored definitions the engine
cannot read: right answers, never a 500, and the other flags evaluated as usual."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from fastapi.testclient import TestClient
from playground_setup import set_variants
from sqlalchemy import update

import flagkit
from leash.errors import BadDataError
from leash.features.models import feature_strategies
from leash.formats import is_date_time
from leash.playground.schemas import parse_request
from support import ADMIN

PLAYGROUND = "/api/admin/playground"
HUGE = "1" * 4400  # past Python's 4,300-digit limit for int()


def _play(client: TestClient, context: dict[str, Any]) -> dict[str, dict[str, Any]]:
    response = client.post(
        PLAYGROUND,
        headers=ADMIN,
        json={"environment": "development", "context": {"appName": "a", **context}},
    )
    assert response.status_code == 200, response.text
    return {feature["name"]: feature for feature in response.json()["features"]}


def _flag(client: TestClient, flag: str, /, **strategy: Any) -> str:
    flagkit.create_flag(client, flag)
    strategy_id = flagkit.add_strategy(client, flag, **strategy)
    flagkit.switch(client, flag)
    return strategy_id


def _store(client: TestClient, strategy_id: str, parameters: dict[str, str]) -> None:
    """Parameters as a row written before the write path checked them holds them."""
    with client.app.state.db.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(
            update(feature_strategies)
            .where(feature_strategies.c.id == strategy_id)
            .values(parameters=parameters)
        )
    client.app.state.changed()  # type: ignore[attr-defined]


def _enabled(features: dict[str, dict[str, Any]]) -> dict[str, bool]:
    return {name: feature["isEnabled"] for name, feature in sorted(features.items())}


@pytest.mark.parametrize("value", ["1" * 16_000 + "x", "\u0131nf"])
def test_playground__hostile_number_context__number_flag_off_sibling_on(
    client: TestClient, value: str
) -> None:
    constraint = {"contextName": "n", "operator": "NUM_GT", "value": "5"}
    _flag(client, "num-gt", name="default", constraints=[constraint])
    _flag(client, "plain", name="default")

    features = _play(client, {"properties": {"n": value}})

    assert _enabled(features) == {"num-gt": False, "plain": True}
    explained = features["num-gt"]["strategies"]["data"][0]
    assert (explained["result"], explained["constraints"][0]["result"]) == (
        {"enabled": False, "evaluationStatus": "complete"},
        False,
    )
    assert _enabled(_play(client, {"properties": {"n": "6"}})) == {"num-gt": True, "plain": True}


def test_playground__stored_4400_digit_rollout_and_prefix__evaluated_as_yggdrasil(
    client: TestClient,
) -> None:
    _flag(client, "plain", name="default")
    alone = _flag(client, "rollout-alone")
    with_default = _flag(client, "rollout-or-default")
    flagkit.add_strategy(client, "rollout-or-default", name="default")
    ips = _flag(client, "ips", name="remoteAddress", parameters={"IPs": "9.9.9.9"})
    rollout = {"rollout": HUGE, "stickiness": "default", "groupId": "g"}
    _store(client, alone, rollout)
    _store(client, with_default, rollout)
    _store(client, ips, {"IPs": f"1.2.3.4/{HUGE}, 9.9.9.9"})

    # as yggdrasil: the rollout does not parse as a usize (strategy off), the entry is skipped
    assert _enabled(_play(client, {"userId": "u", "remoteAddress": "9.9.9.9"})) == {
        "ips": True,
        "plain": True,
        "rollout-alone": False,
        "rollout-or-default": True,
    }
    assert _enabled(_play(client, {"userId": "u", "remoteAddress": "1.2.3.4"}))["ips"] is False


def test_playground__stored_variants_engine_cannot_read__that_flag_off_others_evaluated(
    client: TestClient,
) -> None:
    _flag(client, "plain", name="default")
    _flag(client, "odd", name="default")
    set_variants(client, flag="odd", variants=[{"name": "v", "weight": "heavy"}])

    features = _play(client, {})

    assert _enabled(features) == {"odd": False, "plain": True}
    odd = features["odd"]
    assert (odd["isEnabledInCurrentEnvironment"], odd["strategies"]["result"]) == (True, False)
    assert odd["strategies"]["data"][0]["result"] == {
        "enabled": False,
        "evaluationStatus": "complete",
    }
    assert odd["variant"] == {"name": "disabled", "enabled": False, "feature_enabled": False}


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("2020-01-01T00:00:00Z\n", 400),
        ("\u0662\u0660\u0662\u0660-01-01T00:00:00Z", 400),
        ("2020-01-01\x1c00:00:00Z", 400),
        ("2020-01-01\ufeff00:00:00Z", 200),
        ("2020-01-01\u200900:00:00Z", 200),
        ("2020-01-01T00:00:00." + "1" * 100_000 + "+", 400),
    ],
)
def test_playground__current_time_edge__answers_as_unleash(
    client: TestClient, text: str, status: int
) -> None:
    # the statuses Unleash 8.2 answered (ajv-formats: ASCII digits, JavaScript's \s, and
    # nothing after the zone)
    response = client.post(
        PLAYGROUND,
        headers=ADMIN,
        json={"environment": "development", "context": {"appName": "a", "currentTime": text}},
    )

    assert response.status_code == status, response.text
    if status == 400:
        path = "/body/context/currentTime"
        body = response.json()
        del body["id"]
        assert body == {
            "name": "BadDataError",
            "message": "Request validation failed: your request body or params contain invalid "
            "data. Refer to the `details` list for more information.",
            "details": [
                {
                    "message": f'The `{path}` property must match format "date-time". '
                    f"You sent {orjson.dumps(text).decode()}.",
                    "path": path,
                }
            ],
        }


def test_is_date_time__100000_digit_fraction__read_linearly() -> None:
    assert is_date_time("2030-01-01T00:00:00." + "1" * 100_000 + "Z") is True
    assert is_date_time("2030-01-01T00:00:00." + "1" * 100_000 + "x") is False


def test_parse_request__projects_nested_300_deep__bad_data_not_a_crash() -> None:
    nested: Any = []
    for _ in range(300):
        nested = [nested]
    body = {"environment": "development", "projects": nested, "context": {"appName": "a"}}

    with pytest.raises(BadDataError) as raised:
        parse_request(body)

    assert [detail["path"] for detail in raised.value.details] == [
        "/body/projects/0",
        "/body/projects",
        "projects",
        "/body/projects",
    ]
