"""The playground says what SDKs get: its isEnabled and variant agree with /api/frontend and
with the engine run on /api/client/features, flag by flag, for many contexts."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import playground_scenario as scenario
import pytest
from fastapi.testclient import TestClient
from playground_scenario import c, rollout, variant
from playground_setup import set_up

from conftest import make_settings
from leash.app import create_app
from leash.engine import compile_state
from support import ADMIN, CLIENT, FRONTEND

F = scenario.PREFIX
# Flags only leash can hold (environment variants are refused by Unleash 7 for new flags).
EXTRA: list[tuple[Any, ...]] = [
    ("flag", F + "env-variants"),
    ("strategy", F + "env-variants", rollout(F + "env-variants")),
    ("on", F + "env-variants"),
    (
        "variants",
        F + "env-variants",
        [
            {
                **variant("red", 500),
                "payload": {"type": "json", "value": '{"a": 1}'},
                "overrides": [{"contextName": "userId", "values": ["carol"]}],
            },
            variant("blue", 500, "b"),
        ],
    ),
    ("flag", F + "half"),
    (
        "strategy",
        F + "half",
        {
            "name": "flexibleRollout",
            "parameters": {"rollout": "50", "stickiness": "userId", "groupId": F + "half"},
        },
    ),
    ("on", F + "half"),
    ("flag", F + "tenant-sticky"),
    (
        "strategy",
        F + "tenant-sticky",
        {
            "name": "flexibleRollout",
            "parameters": {"rollout": "60", "stickiness": "tenant", "groupId": "shared"},
            "variants": [
                variant("x", 300, "x", stickiness="tenant"),
                variant("y", 700, "y", stickiness="tenant"),
            ],
        },
    ),
    ("on", F + "tenant-sticky"),
    ("flag", F + "two-strategies"),
    (
        "strategy",
        F + "two-strategies",
        rollout(F + "two-strategies", segments=[F + "eu"], variants=[variant("eu", 1000, "e")]),
    ),
    (
        "strategy",
        F + "two-strategies",
        rollout(
            F + "two-strategies",
            constraints=[c("userId", "STR_STARTS_WITH", values=["u"])],
            variants=[variant("u1", 500, "1"), variant("u2", 500, "2")],
        ),
    ),
    ("on", F + "two-strategies"),
]

CONTEXTS: list[dict[str, Any]] = [
    {"appName": "web", "userId": "alice", "properties": {"region": "eu", "tenant": "acme"}},
    {"appName": "ios", "userId": "bob", "properties": {"region": "us", "tenant": "initech"}},
    {"appName": "web", "userId": "carol", "tenant": "acme", "seats": "40", "appVersion": "3.1.0"},
    # no currentTime: the frontend API always uses its own clock, the playground the given time
    {
        "appName": "web",
        "userId": "dave",
        "properties": {"tenant": "ACME", "seats": "99", "appVersion": "2.0.1"},
    },
    {
        "appName": "web",
        "userId": "u17",
        "remoteAddress": "10.9.8.7",
        "properties": {"tenant": "t4"},
    },
    {"appName": "android", "userId": "u2", "properties": {"region": "eu", "tenant": "t9"}},
    *[
        {"appName": "web", "userId": f"user-{i}", "properties": {"tenant": f"t{i}"}}
        for i in range(12)
    ],
]


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def agreement_client(request: pytest.FixtureRequest, databases: Any) -> Iterator[TestClient]:
    if request.param == "postgres":
        if not os.environ.get("LEASH_TEST_DATABASE_URL"):
            pytest.skip("LEASH_TEST_DATABASE_URL not set")
        url = databases.postgres()
    else:
        url = databases.sqlite()
    try:
        with TestClient(create_app(make_settings(url))) as client:
            set_up(client, scenario.SETUP + EXTRA)
            yield client
    finally:
        if request.param == "postgres":
            databases.drop(url)


def _core(variant: dict[str, Any]) -> tuple[str, bool, Any]:
    return (variant["name"], variant["enabled"], variant.get("payload"))


DISABLED = ("disabled", False, None)


def _context(base: dict[str, Any]) -> dict[str, Any]:
    # The frontend API fills in its token's environment and the caller's address; give both
    # so that the three answers are about the very same context.
    return {"environment": "development", "remoteAddress": "192.168.0.1", **base}


@pytest.mark.parametrize("index", range(len(CONTEXTS)))
def test_playground__context__agrees_with_frontend_api_and_engine(
    agreement_client: TestClient, index: int
) -> None:
    context = _context(CONTEXTS[index])
    response = agreement_client.post(
        "/api/admin/playground",
        headers=ADMIN,
        json={"environment": "development", "projects": "*", "context": context},
    )
    assert response.status_code == 200, response.text
    playground = {
        f["name"]: (f["isEnabled"], _core(f["variant"]) if f["isEnabled"] else DISABLED)
        for f in response.json()["features"]
    }
    toggles = agreement_client.post("/api/frontend", headers=FRONTEND, json={"context": context})
    assert toggles.status_code == 200, toggles.text
    frontend = {name: (False, DISABLED) for name in playground}
    frontend.update({t["name"]: (True, _core(t["variant"])) for t in toggles.json()["toggles"]})
    state = agreement_client.get("/api/client/features", headers=CLIENT).json()
    engine = compile_state(state)
    by_engine = {
        name: (
            engine.is_enabled(name, context),
            _core(engine.get_variant(name, context))
            if engine.is_enabled(name, context)
            else DISABLED,
        )
        for name in playground
    }

    assert len(playground) == len(scenario.flag_names(scenario.SETUP + EXTRA))
    assert playground == frontend
    assert playground == by_engine


def test_playground__env_variant_override__variant_with_json_payload(
    agreement_client: TestClient,
) -> None:
    context = {"appName": "web", "userId": "carol"}
    response = agreement_client.post(
        "/api/admin/playground",
        headers=ADMIN,
        json={"environment": "development", "projects": ["default"], "context": context},
    )

    [feature] = [f for f in response.json()["features"] if f["name"] == F + "env-variants"]
    assert feature["variant"] == {
        "name": "red",
        "payload": {"type": "json", "value": '{"a": 1}'},
        "enabled": True,
        "feature_enabled": True,
        "featureEnabled": True,
    }
    assert [v["name"] for v in feature["variants"]] == ["red", "blue"]


def test_playground__spread_of_contexts__flags_both_on_and_off(
    agreement_client: TestClient,
) -> None:
    """The agreement above means something only if the contexts split the flags."""
    seen: dict[str, set[bool]] = {}
    for base in CONTEXTS:
        response = agreement_client.post(
            "/api/admin/playground",
            headers=ADMIN,
            json={"environment": "development", "context": _context(base)},
        )
        for feature in response.json()["features"]:
            seen.setdefault(feature["name"], set()).add(feature["isEnabled"])
    split = sorted(name for name, values in seen.items() if values == {True, False})
    assert split == [
        F + "child-off",
        F + "child-on",
        F + "disabled-strategy",
        F + "half",
        F + "operators",
        F + "parent",
        F + "remote",
        F + "segmented",
        F + "strategy-variants",
        F + "tenant-sticky",
        F + "two-strategies",
    ]
