"""POST /api/frontend (frontend tokens are public) with hostile context values, and with
stored definitions the engine cannot read: right answers, and the other flags still served."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import update

import flagkit
from leash.features.models import feature_environments, feature_strategies
from support import FRONTEND

FRONTEND_PATH = "/api/frontend"
HUGE = "1" * 4400  # past Python's 4,300-digit limit for int()
JSON = {"Content-Type": "application/json"}


def _names(client: TestClient, context: dict[str, Any]) -> list[str]:
    response = client.post(FRONTEND_PATH, headers=FRONTEND, json={"context": context})
    assert response.status_code == 200, response.text
    return sorted(toggle["name"] for toggle in response.json()["toggles"])


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


def _num_flags(client: TestClient) -> None:
    _flag(
        client,
        "num-gt",
        name="default",
        constraints=[{"contextName": "n", "operator": "NUM_GT", "value": "5"}],
    )
    _flag(client, "plain", name="default")


def test_frontend_post__16000_digits_then_a_letter__number_flag_off_sibling_on(
    client: TestClient,
) -> None:
    _num_flags(client)

    assert _names(client, {"properties": {"n": "1" * 16_000 + "x"}}) == ["plain"]
    assert _names(client, {"n": "1" * 16_000 + "x"}) == ["plain"]
    assert _names(client, {"properties": {"n": "1" * 16_000}}) == ["num-gt", "plain"]


def test_frontend_post__dotless_i_inf__number_flag_off_not_500(client: TestClient) -> None:
    _num_flags(client)

    # as yggdrasil: "\u0131nf" is no number (Python's re took it for "inf", float() raised)
    assert _names(client, {"properties": {"n": "\u0131nf"}}) == ["plain"]
    assert _names(client, {"properties": {"n": "6"}}) == ["num-gt", "plain"]


def test_frontend__stored_4400_digit_rollout_and_prefix__as_yggdrasil_later_writes_served(
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
    # a later write reaches SDKs: the rebuild does not fail on the flags above
    _flag(client, "after", name="default")

    # as yggdrasil: a rollout too large for a usize does not parse, so its strategy is off;
    # an IPs entry with such a prefix is skipped
    expected = ["after", "ips", "plain", "rollout-or-default"]
    assert _names(client, {"userId": "u", "remoteAddress": "9.9.9.9"}) == expected
    assert _names(client, {"userId": "u", "remoteAddress": "1.2.3.4"}) == [
        "after",
        "plain",
        "rollout-or-default",
    ]


def test_frontend__stored_variants_engine_cannot_read__that_flag_off_others_served(
    client: TestClient,
) -> None:
    _flag(client, "plain", name="default")
    _flag(client, "odd", name="default")
    with client.app.state.db.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(
            update(feature_environments)
            .where(feature_environments.c.feature_name == "odd")
            .values(variants=[{"name": "v", "weight": "heavy", "stickiness": "default"}])
        )
    client.app.state.changed()  # type: ignore[attr-defined]
    _flag(client, "after", name="default")

    assert _names(client, {"userId": "u"}) == ["after", "plain"]


def test_frontend_post__array_field_nested_100_deep__read_as_javascript_string(
    client: TestClient,
) -> None:
    _flag(
        client,
        "deep",
        name="default",
        constraints=[{"contextName": "p", "operator": "IN", "values": ["1"]}],
    )
    # Deeper than leash.http.MAX_NESTING is refused before any route reads it (a 400).
    deep = "[" * 100 + "1" + "]" * 100

    response = client.post(
        FRONTEND_PATH, headers={**FRONTEND, **JSON}, content=f'{{"context": {{"p": {deep}}}}}'
    )

    assert response.status_code == 200, response.text
    assert [toggle["name"] for toggle in response.json()["toggles"]] == ["deep"]


def test_frontend_post__non_string_fields__read_as_javascript_strings(client: TestClient) -> None:
    # Unleash 8.2 answered these on the shared reference server (engine-js-* flags)
    cases = {
        "float": (1.0, "1"),
        "big": (1e21, "1e+21"),
        "small": (1e-7, "1e-7"),
        "tiny": (0.000001, "0.000001"),
        "wide": (123456789012345678901, "123456789012345680000"),
        "list": ([[], None, [1]], ",,1"),
        "object": ({"a": 1}, "[object Object]"),
        "mixed": ([{"a": []}, "x"], "[object Object],x"),
        "flag": (True, "true"),
    }
    for name, (_, text) in cases.items():
        _flag(
            client,
            f"js-{name}",
            name="default",
            constraints=[{"contextName": name, "operator": "IN", "values": [text]}],
        )

    context = {name: value for name, (value, _) in cases.items()}

    assert _names(client, context) == sorted(f"js-{name}" for name in cases)
