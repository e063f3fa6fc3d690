"""Hostile content: context values and definitions built to stall or break the engine.

Parsing is linear (a 100,000-digit context value took the old backtracking regex minutes, a
wrong answer nowhere: these tests pin the answers, the report keeps the timings), numbers
are read without int() of unbounded text, and one flag's content never fails another flag.
Answers marked "as yggdrasil" were checked against yggdrasil-engine 2.0.0.
"""

from __future__ import annotations

from typing import Any

import pytest

from leash.engine import Engine, compile_state

HUGE = "1" * 4400  # past Python's 4,300-digit limit for int()


def _state(*features: dict[str, Any], segments: list[dict[str, Any]] | None = None) -> Any:
    return {"version": 2, "features": list(features), "segments": segments or []}


def _flag(name: str, *strategies: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"name": name, "enabled": True, "strategies": list(strategies), **extra}


def _constrained(operator: str, value: str) -> dict[str, Any]:
    return {
        "name": "default",
        "constraints": [{"contextName": "p", "operator": operator, "value": value}],
    }


def _prop(value: str) -> dict[str, Any]:
    return {"properties": {"p": value}}


DEFAULT: dict[str, Any] = {"name": "default"}
SIBLING = _flag("sibling", DEFAULT)


# context values


def test_num_gt__100000_digits_then_a_letter__false_and_inverted_true() -> None:
    hostile = "1" * 100_000 + "x"
    inverted = _constrained("NUM_GT", "5")
    inverted["constraints"][0]["inverted"] = True
    engine = compile_state(
        _state(_flag("plain", _constrained("NUM_GT", "5")), _flag("inv", inverted))
    )

    assert (
        engine.is_enabled("plain", _prop(hostile)),
        engine.is_enabled("inv", _prop(hostile)),
    ) == (
        False,
        True,
    )
    assert engine.is_enabled("plain", _prop("1" * 100_000)) is True


# dotless i, dotted capital I, fullwidth letters, an Arabic-Indic digit
@pytest.mark.parametrize("text", ["\u0131nf", "\u0130nf", "\uff29\uff2e\uff26", "\u0661"])
def test_num_gt__non_ascii_number_lookalike__false_as_yggdrasil(text: str) -> None:
    engine = compile_state(_state(_flag("f", _constrained("NUM_LT", "5"))))

    assert engine.is_enabled("f", _prop(text)) is False


def test_semver_gt__context_major_above_u64__false_as_yggdrasil() -> None:
    engine = compile_state(_state(_flag("f", _constrained("SEMVER_GT", "1.0.0"))))

    assert engine.is_enabled("f", _prop("18446744073709551615.0.0")) is True
    assert engine.is_enabled("f", _prop("18446744073709551616.0.0")) is False
    assert engine.is_enabled("f", _prop(HUGE + ".0.0")) is False


def test_semver_eq__value_major_above_u64__whole_flag_off_as_yggdrasil() -> None:
    constraint = _constrained("SEMVER_EQ", "18446744073709551616.0.0")
    constraint["constraints"][0]["inverted"] = True
    engine = compile_state(_state(_flag("f", constraint, DEFAULT)))

    assert engine.is_enabled("f", _prop("1.0.0")) is False
    assert engine.feature("f").error == "'18446744073709551616.0.0' is not a valid semantic version"  # type: ignore[union-attr]


def test_semver_gt__5000_digit_prerelease_identifier__compared_numerically() -> None:
    engine = compile_state(_state(_flag("f", _constrained("SEMVER_GT", "1.0.0-2"))))

    assert engine.is_enabled("f", _prop("1.0.0-" + "1" * 5000)) is True
    assert engine.is_enabled("f", _prop("1.0.0-1")) is False


def test_date_after__100000_digit_fraction__read_to_nanoseconds() -> None:
    engine = compile_state(_state(_flag("f", _constrained("DATE_AFTER", "2020-01-01T00:00:00Z"))))

    assert engine.is_enabled("f", _prop("2020-01-01T00:00:00." + "0" * 100_000 + "1Z")) is False
    assert engine.is_enabled("f", _prop("2020-01-01T00:00:00." + "1" * 100_000 + "Z")) is True


# rollout and prefix numbers


def _rollout(value: str, *, key: str = "rollout", name: str = "flexibleRollout") -> dict[str, Any]:
    return {"name": name, "parameters": {key: value, "stickiness": "default", "groupId": "g"}}


def test_flexible_rollout__4400_digits__strategy_off_other_strategies_and_flags_on() -> None:
    engine = Engine(hostname="h")

    failed = engine.take_state(
        _state(
            _flag("alone", _rollout(HUGE)), _flag("or-default", _rollout(HUGE), DEFAULT), SIBLING
        )
    )

    # as yggdrasil: a number too large for a usize does not parse, so the strategy is false
    assert failed == {}
    context = {"userId": "u"}
    assert [engine.is_enabled(n, context) for n in ("alone", "or-default", "sibling")] == [
        False,
        True,
        True,
    ]


@pytest.mark.parametrize(
    ("rollout", "alone", "or_default"),
    [
        ("18446744073709551615", False, False),  # a usize above 100: the flag fails
        ("18446744073709551616", False, True),  # not a usize: the strategy is false
        ("0" * 5000 + "100", True, True),  # leading zeros are fine
        ("0" * 5000 + "101", False, False),
    ],
)
def test_flexible_rollout__usize_bounds__as_yggdrasil(
    rollout: str, alone: bool, or_default: bool
) -> None:
    engine = compile_state(
        _state(_flag("alone", _rollout(rollout)), _flag("or-default", _rollout(rollout), DEFAULT))
    )

    assert engine.is_enabled("alone", {"userId": "u"}) is alone
    assert engine.is_enabled("or-default", {"userId": "u"}) is or_default


@pytest.mark.parametrize("name", ["gradualRolloutRandom", "gradualRolloutUserId"])
def test_gradual_rollout__4400_digit_percentage__strategy_off(name: str) -> None:
    engine = compile_state(_state(_flag("f", _rollout(HUGE, key="percentage", name=name)), SIBLING))

    assert engine.is_enabled("f", {"userId": "u"}) is False
    assert engine.is_enabled("sibling", {"userId": "u"}) is True


def test_remote_address__4400_digit_prefix__entry_skipped_others_match() -> None:
    ips = {"name": "remoteAddress", "parameters": {"IPs": f"1.2.3.4/{HUGE}, 9.9.9.9"}}
    engine = compile_state(_state(_flag("f", ips), SIBLING))

    assert engine.is_enabled("f", {"remoteAddress": "1.2.3.4"}) is False
    assert engine.is_enabled("f", {"remoteAddress": "9.9.9.9"}) is True
    assert engine.is_enabled("sibling", {"remoteAddress": "1.2.3.4"}) is True


def test_in_cidr__4400_digit_prefix__entry_skipped_leading_zeros_read() -> None:
    constraint = {
        "contextName": "remoteAddress",
        "operator": "IN_CIDR",
        "values": [f"1.2.3.4/{HUGE}", "10.0.0.0/" + "0" * 5000 + "8"],
    }
    engine = compile_state(_state(_flag("f", {"name": "default", "constraints": [constraint]})))

    assert engine.is_enabled("f", {"remoteAddress": "1.2.3.4"}) is False
    assert engine.is_enabled("f", {"remoteAddress": "10.9.9.9"}) is True


# one flag's content never fails the others


def test_take_state__unreadable_flags__each_off_and_reported_sibling_on() -> None:
    engine = Engine(hostname="h")

    failed = engine.take_state(
        _state(
            _flag("weight", DEFAULT, variants=[{"name": "v", "weight": "heavy"}]),
            _flag("constraint", {"name": "default", "constraints": ["not an object"]}),
            _flag("segment-id", {"name": "default", "segments": ["x"]}),
            _flag("strategy-variant", {"name": "default", "variants": [{"weight": HUGE}]}),
            _flag("override", DEFAULT, variants=[{"name": "v", "weight": 1, "overrides": ["x"]}]),
            SIBLING,
        )
    )

    assert failed == {
        "weight": "variant weight 'heavy' is not a whole number",
        "constraint": "a constraint must be an object",
        "segment-id": "segment id 'x' is not an integer",
        "strategy-variant": f"variant weight {HUGE[:40]!r} is not a whole number",
        # nothing foreseen this one: the failure itself is the reason
        "override": "cannot be compiled: AttributeError: 'str' object has no attribute 'get'",
    }
    assert [engine.is_enabled(name) for name in ("weight", "constraint", "sibling")] == [
        False,
        False,
        True,
    ]
    assert engine.get_variant("weight") == {
        "name": "disabled",
        "enabled": False,
        "feature_enabled": False,
    }
    assert engine.evaluate("weight").error == failed["weight"]
    assert engine.errors() == failed


def test_take_state__unreadable_segment__its_flags_off_others_on() -> None:
    engine = Engine(hostname="h")
    segments = [
        {"id": 1, "name": "bad-list", "constraints": "nope"},
        {"id": 2, "name": "bad-item", "constraints": [42]},
        {"id": 3, "name": "good", "constraints": []},
    ]

    failed = engine.take_state(
        _state(
            _flag("uses-1", {"name": "default", "segments": [1]}),
            _flag("uses-2", {"name": "default", "segments": [2]}),
            _flag("uses-3", {"name": "default", "segments": [3]}),
            segments=segments,
        )
    )

    assert failed == {
        "uses-1": "segment 1: segment constraints must be a list",
        "uses-2": "a constraint must be an object",
    }
    assert [engine.is_enabled(f"uses-{i}") for i in (1, 2, 3)] == [False, False, True]


def test_take_state__delta_with_unreadable_flag__applied_others_kept() -> None:
    engine = Engine(hostname="h")
    engine.take_state(_state(SIBLING, _flag("later", DEFAULT)))

    failed = engine.take_state(
        {
            "events": [
                {
                    "type": "feature-updated",
                    "feature": _flag("later", {"name": "default", "segments": [[1]]}),
                },
                {"type": "segment-updated", "segment": {"id": 7, "constraints": [None]}},
                {
                    "type": "feature-updated",
                    "feature": _flag("new", {"name": "default", "segments": [7]}),
                },
            ]
        }
    )

    assert failed == {
        "later": "segment id '[1]' is not an integer",
        "new": "a constraint must be an object",
    }
    assert [engine.is_enabled(n) for n in ("sibling", "later", "new")] == [True, False, False]
