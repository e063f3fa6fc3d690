"""The official Python SDK's engine (yggdrasil, what UnleashClient evaluates with) fed the
reference Unleash's recorded client payload and the migrated leash's: for 2,000 contexts times
every flag, both answer the same on/off state and variant."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from test_migrate import _migrate
from transferkit import RecordedUnleash, recorded_client_features
from yggdrasil_engine.engine import UnleashEngine

from conftest import make_settings
from leash.app import create_app
from support import CLIENT

pytestmark = [pytest.mark.sdk, pytest.mark.slow]


def _contexts() -> list[dict[str, Any]]:
    regions = ("eu", "us", "apac", None)
    tiers = ("gold", "free", None)
    contexts = []
    for i in range(2000):
        context: dict[str, Any] = {"userId": f"user-{i}", "sessionId": f"s{i * 7919 % 2000}"}
        if regions[i % 4] is not None:
            context["properties"] = {"region": regions[i % 4]}
        if tiers[i % 3] is not None:
            context.setdefault("properties", {})["tier"] = tiers[i % 3]
        if i % 97 == 0:
            context["userId"] = "blocked" if i % 2 else "u1"
        contexts.append(context)
    return contexts


class ByTenant:
    """The custom strategy of the data set, as an application would implement it."""

    def apply(self, parameters: dict[str, Any], context: dict[str, Any]) -> bool:
        tenants = str(parameters.get("tenants", "")).split(",")
        return str(context.get("userId", ""))[-1:] in ("a", "b", "c", *tenants, "3")


def _evaluations(payload: dict[str, Any], names: list[str]) -> list[tuple[Any, ...]]:
    """What the official Python SDK's engine answers, for 2,000 contexts times every flag."""
    engine = UnleashEngine()
    engine.register_custom_strategies({"byTenant": ByTenant()})
    engine.take_state(json.dumps(payload))
    answers = []
    for context in _contexts():
        for name in names:
            # One call answers both: the variant says whether the flag is on for the context.
            variant = engine.get_variant(name, context).variant
            answers.append(
                (
                    name,
                    context["userId"],
                    variant.feature_enabled,
                    variant.name,
                    variant.payload,
                    variant.enabled,
                )
            )
    return answers


def test_migrate__official_sdk_engine__every_flag_for_2000_contexts_as_on_the_reference(
    database_url: str,
) -> None:
    _migrate(database_url, RecordedUnleash())
    with TestClient(create_app(make_settings(database_url))) as client:
        migrated = client.get("/api/client/features", headers=CLIENT).json()
    reference = recorded_client_features()
    names = sorted(flag["name"] for flag in reference["features"])

    want = _evaluations(reference, names)
    got = _evaluations(migrated, names)

    assert len(want) == 2000 * 18
    assert [a for a, b in zip(got, want, strict=True) if a != b] == []
    # The data set is not trivial: flags and variants answer differently across contexts.
    assert {answer[2] for answer in want} == {True, False}
    assert {answer[3] for answer in want} >= {"red", "blue", "small", "large", "disabled"}
