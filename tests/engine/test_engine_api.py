"""The engine's API: state loading, deltas, explanations, hostname, variants."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from leash.engine import (
    VARIANT_SEED,
    Engine,
    StateError,
    compile_state,
    normalize_context,
    normalized_hash,
)


def _segment(sid: int, *user_ids: str) -> dict[str, Any]:
    return {
        "id": sid,
        "name": f"seg{sid}",
        "constraints": [{"contextName": "userId", "operator": "IN", "values": list(user_ids)}],
    }


def _flag(name: str, *strategies: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return {"name": name, "enabled": True, "strategies": list(strategies), **kw}


STATE: dict[str, Any] = {
    "version": 2,
    "segments": [_segment(1, "alice", "bob"), _segment(2, "bob")],
    "features": [
        _flag(
            "explained",
            {
                "name": "flexibleRollout",
                "parameters": {"rollout": "100", "stickiness": "default", "groupId": "g"},
                "constraints": [
                    {"contextName": "environment", "operator": "IN", "values": ["prod"]}
                ],
                "segments": [1, 2],
                "variants": [{"name": "strategy-variant", "weight": 1000, "stickiness": "default"}],
            },
            {"name": "userWithId", "parameters": {"userIds": "carol"}},
        ),
        _flag("broken", {"name": "default", "segments": [99]}, {"name": "default"}),
        _flag("child", {"name": "default"}, dependencies=[{"feature": "explained"}]),
    ],
}


def test_is_enabled__unknown_flag__false() -> None:
    assert compile_state(STATE).is_enabled("nope", {}) is False


def test_get_variant__unknown_flag__disabled_variant() -> None:
    assert compile_state(STATE).get_variant("nope") == {
        "name": "disabled",
        "enabled": False,
        "feature_enabled": False,
    }


def test_take_state__returns_flags_that_cannot_compile() -> None:
    errors = Engine().take_state(STATE)
    assert list(errors) == ["broken"]
    assert "99" in errors["broken"]


def test_take_state__neither_features_nor_events__state_error() -> None:
    with pytest.raises(StateError):
        Engine().take_state({"version": 2})


def test_take_state__unknown_event__state_error() -> None:
    with pytest.raises(StateError):
        Engine().take_state({"events": [{"type": "feature-exploded"}]})


def test_evaluate__explains_strategies_constraints_and_segments() -> None:
    result = compile_state(STATE).evaluate("explained", {"userId": "bob", "environment": "dev"})
    assert result.found and result.flag_enabled and not result.enabled
    first, second = result.strategies
    assert first.strategy_result is True
    assert first.constraints_result is False
    assert first.constraints[0].context_value == "dev"
    assert [s.result for s in first.segments] == [True, True]
    assert first.segments[0].constraints[0].context_value == "bob"
    assert first.result is False
    assert first.variant_names == ("strategy-variant",)
    assert second.name == "userWithId" and second.result is False
    assert result.variant == {"name": "disabled", "enabled": False, "feature_enabled": False}


def test_evaluate__passing_strategy__variant_from_that_strategy() -> None:
    result = compile_state(STATE).evaluate("explained", {"userId": "bob", "environment": "prod"})
    assert result.enabled
    assert result.strategies[0].result
    assert result.variant["name"] == "strategy-variant"


def test_evaluate__segment_fails__reported_per_segment() -> None:
    result = compile_state(STATE).evaluate("explained", {"userId": "alice", "environment": "prod"})
    assert [s.result for s in result.strategies[0].segments] == [True, False]
    assert result.strategies[0].segments_result is False


def test_evaluate__missing_segment__error_and_flag_off() -> None:
    result = compile_state(STATE).evaluate("broken", {})
    assert result.error is not None
    assert not result.enabled
    segment = result.strategies[0].segments[0]
    assert segment.found is False and segment.error is not None
    assert result.strategies[1].result is True  # would pass, but the flag cannot compile


def test_evaluate__dependency_explained() -> None:
    engine = compile_state(STATE)
    result = engine.evaluate("child", {"userId": "zed"})
    assert not result.enabled
    (dep,) = result.dependencies
    assert dep.feature == "explained" and dep.parent_enabled is False and not dep.result
    assert engine.evaluate("child", {"userId": "carol"}).enabled


def test_evaluate__unknown_flag__not_found() -> None:
    result = compile_state(STATE).evaluate("nope", {})
    assert not result.found and not result.enabled


def test_evaluate__agrees_with_is_enabled() -> None:
    engine = compile_state(STATE)
    for ctx in ({}, {"userId": "carol"}, {"userId": "bob", "environment": "prod"}):
        for name in ("explained", "broken", "child"):
            assert engine.evaluate(name, ctx).enabled == engine.is_enabled(name, ctx)


def test_delta__segment_update_recompiles_only_flags_using_it() -> None:
    engine = compile_state(STATE)
    untouched = engine.feature("child")
    engine.take_state({"events": [{"type": "segment-updated", "segment": _segment(2, "alice")}]})
    assert engine.feature("child") is untouched
    assert engine.is_enabled("explained", {"userId": "alice", "environment": "prod"})
    assert not engine.is_enabled("explained", {"userId": "bob", "environment": "prod"})


def test_delta__segment_removed__flags_using_it_off() -> None:
    engine = compile_state(STATE)
    engine.take_state({"events": [{"type": "segment-removed", "segmentId": 2}]})
    assert not engine.is_enabled("explained", {"userId": "bob", "environment": "prod"})
    assert engine.feature("explained") is not None
    assert engine.feature("explained").error is not None  # type: ignore[union-attr]


def test_delta__hydration_replaces_everything() -> None:
    engine = compile_state(STATE)
    engine.take_state({"events": [{"type": "hydration", "features": [_flag("only")]}]})
    assert engine.feature_names() == ["only"]
    assert engine.state()["segments"] == []


def test_full_state_after_delta__replaces_delta_state() -> None:
    engine = Engine()
    engine.take_state({"events": [{"type": "feature-updated", "feature": _flag("a")}]})
    engine.take_state({"version": 1, "features": [_flag("b")]})
    assert engine.feature_names() == ["b"]


def test_application_hostname__listed_host__on() -> None:
    strategy = {"name": "applicationHostname", "parameters": {"hostNames": "web-1, Web-2"}}
    state = {"version": 2, "features": [_flag("h", strategy)]}
    assert compile_state(state, hostname="web-2").is_enabled("h")
    assert compile_state(state, hostname="WEB-1").is_enabled("h")
    assert not compile_state(state, hostname="web-3").is_enabled("h")


def test_application_hostname__hostname_env_var__used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("hostname", "from-env")
    strategy = {"name": "applicationHostname", "parameters": {"hostNames": "from-env"}}
    assert compile_state({"version": 2, "features": [_flag("h", strategy)]}).is_enabled("h")


def test_variant__zero_total_weight__no_variant_but_flag_enabled() -> None:
    state = {"version": 2, "features": [_flag("z", {"name": "default"}, variants=[
        {"name": "a", "weight": 0}])]}  # fmt: skip
    assert compile_state(state).get_variant("z", {"userId": "1"}) == {
        "name": "disabled",
        "enabled": False,
        "feature_enabled": True,
    }


def test_variant__bucket_follows_murmur3_with_variant_seed() -> None:
    variants = [{"name": "a", "weight": 300}, {"name": "b", "weight": 700}]
    engine = compile_state(
        {"version": 2, "features": [_flag("v", {"name": "default"}, variants=variants)]}
    )
    for user in map(str, range(50)):
        bucket = normalized_hash("v", user, 1000, VARIANT_SEED)
        assert engine.get_variant("v", {"userId": user})["name"] == ("a" if bucket <= 300 else "b")


def test_variant__payload_included_only_when_present() -> None:
    variants = [{"name": "a", "weight": 1, "payload": {"type": "json", "value": "{}"}}]
    engine = compile_state(
        {"version": 2, "features": [_flag("p", {"name": "default"}, variants=variants)]}
    )
    assert engine.get_variant("p", {}) == {
        "name": "a",
        "payload": {"type": "json", "value": "{}"},
        "enabled": True,
        "feature_enabled": True,
    }


def test_normalize_context__moves_custom_fields_and_stringifies() -> None:
    assert normalize_context(
        {"userId": 5, "tenant": "acme", "gone": None, "properties": {"x": 1}}
    ) == {
        "userId": "5",
        "properties": {"tenant": "acme", "x": "1"},
    }


def test_take_state__concurrent_evaluation__never_fails() -> None:
    engine = compile_state(STATE)
    errors: list[BaseException] = []

    def evaluate() -> None:
        try:
            for _ in range(2000):
                engine.is_enabled("explained", {"userId": "bob", "environment": "prod"})
                engine.get_variant("child", {"userId": "carol"})
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=evaluate) for _ in range(4)]
    for t in threads:
        t.start()
    for _ in range(50):
        engine.take_state(STATE)
    for t in threads:
        t.join()
    assert errors == []
