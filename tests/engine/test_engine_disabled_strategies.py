"""Explaining what the playground shows: disabled strategies, titles, per-strategy variants."""

from __future__ import annotations

from typing import Any

from leash.engine import compile_state

ALICE_ONLY = [{"contextName": "userId", "operator": "IN", "values": ["alice"]}]
GREEN = [
    {
        "name": "green",
        "weight": 1000,
        "stickiness": "default",
        "payload": {"type": "string", "value": "g"},
    }
]


def _state(*strategies: dict[str, Any], enabled: bool = True) -> dict[str, Any]:
    return {
        "version": 2,
        "features": [{"name": "f", "enabled": enabled, "strategies": list(strategies)}],
    }


def test_compile_state__disabled_strategy_by_default__evaluated_as_yggdrasil_does() -> None:
    engine = compile_state(
        _state(
            {"name": "default", "disabled": True}, {"name": "default", "constraints": ALICE_ONLY}
        )
    )

    assert engine.is_enabled("f", {"userId": "bob"}) is True


def test_skip_disabled__disabled_strategy__never_turns_the_flag_on() -> None:
    state = _state(
        {"name": "default", "disabled": True, "id": "s1"},
        {"name": "default", "constraints": ALICE_ONLY, "id": "s2"},
    )
    engine = compile_state(state, skip_disabled=True)

    assert engine.is_enabled("f", {"userId": "bob"}) is False
    assert engine.is_enabled("f", {"userId": "alice"}) is True


def test_skip_disabled__evaluate__disabled_strategy_explained_apart_with_result_false() -> None:
    state = _state(
        {
            "name": "default",
            "disabled": True,
            "id": "s1",
            "title": "Parked",
            "constraints": ALICE_ONLY,
        },
        {"name": "default", "constraints": ALICE_ONLY, "id": "s2"},
    )
    evaluation = compile_state(state, skip_disabled=True).evaluate("f", {"userId": "alice"})

    assert [s.id for s in evaluation.strategies] == ["s2"]
    assert evaluation.strategies[0].index == 0
    assert evaluation.strategies[0].disabled is False
    [parked] = evaluation.disabled_strategies
    assert (parked.id, parked.title, parked.disabled, parked.index) == ("s1", "Parked", True, 0)
    # explained as if it ran: its constraint passes, but a disabled strategy never counts
    assert parked.constraints_result is True
    assert parked.strategy_result is True
    assert parked.result is False
    assert evaluation.enabled is True


def test_skip_disabled__only_disabled_strategies__flag_on_as_with_no_strategies() -> None:
    engine = compile_state(
        _state({"name": "default", "disabled": True, "constraints": ALICE_ONLY}), skip_disabled=True
    )

    assert engine.is_enabled("f", {"userId": "bob"}) is True
    assert engine.evaluate("f", {"userId": "bob"}).strategies == ()


def test_evaluate__strategy_with_variants__its_variant_reported_even_when_it_fails() -> None:
    state = _state(
        {
            "name": "default",
            "constraints": ALICE_ONLY,
            "variants": GREEN,
            "parameters": {"groupId": "f"},
        }
    )
    evaluation = compile_state(state).evaluate("f", {"userId": "bob"})

    green = {
        "name": "green",
        "payload": {"type": "string", "value": "g"},
        "enabled": True,
        "feature_enabled": True,
    }
    assert evaluation.strategies[0].result is False
    assert evaluation.strategies[0].variant == green
    assert evaluation.variant == {"name": "disabled", "enabled": False, "feature_enabled": False}


def test_evaluate__matching_strategy_with_variants__flag_variant_is_the_strategy_variant() -> None:
    state = _state({"name": "default", "variants": GREEN, "parameters": {"groupId": "f"}})
    engine = compile_state(state)
    evaluation = engine.evaluate("f", {"userId": "bob"})

    assert evaluation.variant == evaluation.strategies[0].variant
    assert evaluation.variant == engine.get_variant("f", {"userId": "bob"})


def test_evaluate__strategy_without_variants__variant_none_and_title_none() -> None:
    evaluation = compile_state(_state({"name": "default"})).evaluate("f", {})

    assert evaluation.strategies[0].variant is None
    assert evaluation.strategies[0].title is None
    assert evaluation.disabled_strategies == ()
