"""leash's engine against the official one (yggdrasil-engine, as UnleashClient runs it).

Hypothesis builds random client-features states (every strategy kind, constraints with every
operator, segments, variants with stickiness and overrides, dependencies) and random contexts;
every flag of every state is evaluated by both engines with is_enabled and get_variant, and the
answers must be identical. Values come from small shared pools so constraints match often
enough to exercise both branches.

CI runs a fixed (derandomized) set of examples. To explore new ones:
    LEASH_DIFF_EXAMPLES=3000 LEASH_DIFF_RANDOM=1 \
        .venv/bin/python -m pytest tests/engine/test_differential.py -s
Every disagreement found is kept as a named case in tests/engine/specs/leash-differential.json.
"""

from __future__ import annotations

import json
import os
import socket
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yggdrasil_engine.engine import UnleashEngine

from leash.engine import compile_state

pytestmark = [pytest.mark.fuzz, pytest.mark.slow]

EXAMPLES = int(os.environ.get("LEASH_DIFF_EXAMPLES", "220"))
RANDOM = os.environ.get("LEASH_DIFF_RANDOM") == "1"
CONTEXTS_PER_STATE = 8
MIN_EVALUATIONS = 10_000
HOSTNAME = socket.gethostname()

CONTEXT_NAMES = [
    "userId",
    "sessionId",
    "remoteAddress",
    "appName",
    "environment",
    "currentTime",
    "tenant",
    "version",
    "count",
    "region",
]
STRINGS = ["a", "A", "ab", "abc", "ABC", "b", "", " a", "é", 'a"b', "x y", "tenant-1", "Tenant-1"]
NUMBERS = ["0", "1", "-1", "1.5", "10", "2", "1e3", "007", "abc", " 1", "1.0"]
VERSIONS = [
    "1.0.0",
    "2.0.0",
    "2.0.0-beta.1",
    "2.0.0-beta.2",
    "1.2.3",
    "10.0.0",
    "1.2",
    "v1.0.0",
    "2.0.0+build",
    "2.0.0-rc.1+x",
]
DATES = [
    "2020-01-01T00:00:00Z",
    "2020-01-01T00:00:00.000Z",
    "2035-06-01T12:00:00+02:00",
    "2026-01-01",
    "2024-02-29T23:59:59Z",
    "not-a-date",
]
IPS = ["10.0.0.1", "192.168.1.7", "127.0.0.1", "::1", "2001:db8::1", "10.0.0.256", "abc"]
REGEXES = ["^a", "b$", "a.c", "^$", ".*", "\\d+", "[", "(?i)abc", "^A", "é"]
CIDRS = ["10.0.0.0/8", "192.168.1.0/24", "127.0.0.1", "2001:db8::/32", "10.0.0.1/33", "bad"]
ANY_VALUE = STRINGS + NUMBERS + VERSIONS + DATES + IPS

OPERATOR_VALUES = {
    "IN": STRINGS + NUMBERS,
    "NOT_IN": STRINGS + NUMBERS,
    "STR_STARTS_WITH": STRINGS,
    "STR_ENDS_WITH": STRINGS,
    "STR_CONTAINS": STRINGS,
    "NUM_EQ": NUMBERS,
    "NUM_GT": NUMBERS,
    "NUM_GTE": NUMBERS,
    "NUM_LT": NUMBERS,
    "NUM_LTE": NUMBERS,
    "DATE_AFTER": DATES,
    "DATE_BEFORE": DATES,
    "SEMVER_EQ": VERSIONS,
    "SEMVER_GT": VERSIONS,
    "SEMVER_GTE": VERSIONS,
    "SEMVER_LT": VERSIONS,
    "SEMVER_LTE": VERSIONS,
    "IN_CIDR": CIDRS,
    "REGEX": REGEXES,
}
LIST_OPERATORS = {"IN", "NOT_IN", "STR_STARTS_WITH", "STR_ENDS_WITH", "STR_CONTAINS", "IN_CIDR"}
FLAG_NAMES = ["f1", "f2", "f3", "f4", "f5"]
PARENTS = ["f1", "f2"]
STICKINESS = ["default", "userId", "sessionId", "tenant", "appName"]
VARIANT_STICKINESS = ["default", "tenant"]
# Unleash serves strategy parameters as strings only.
PERCENT = st.sampled_from(["0", "100", "50", "1", "99", "33", "abc", "", "12.5"])
GROUP_ID = st.sampled_from(["", "g", "f1", "group-2"])


def _pick(values: list[str]) -> st.SearchStrategy[str]:
    return st.sampled_from(values)


@st.composite
def constraints(draw: st.DrawFn) -> dict[str, Any]:
    operator = draw(st.sampled_from(sorted(OPERATOR_VALUES)))
    pool = OPERATOR_VALUES[operator]
    constraint: dict[str, Any] = {
        "contextName": draw(st.sampled_from(CONTEXT_NAMES)),
        "operator": operator,
    }
    if operator in LIST_OPERATORS:
        constraint["values"] = draw(st.lists(_pick(pool), max_size=3))
    else:
        constraint["value"] = draw(_pick(pool))
    if draw(st.booleans()):
        constraint["inverted"] = draw(st.booleans())
    if draw(st.booleans()):
        constraint["caseInsensitive"] = draw(st.booleans())
    return constraint


@st.composite
def variant_lists(draw: st.DrawFn, *, feature_level: bool) -> list[dict[str, Any]]:
    names = draw(
        st.lists(st.sampled_from(["v1", "v2", "v3", "disabled-ish"]), max_size=3, unique=True)
    )
    variants: list[dict[str, Any]] = []
    for name in names:
        variant: dict[str, Any] = {
            "name": name,
            "weight": draw(st.sampled_from([0, 1, 33, 500, 1000])),
            "weightType": draw(st.sampled_from(["variable", "fix"])),
        }
        if draw(st.booleans()):
            variant["stickiness"] = draw(st.sampled_from(VARIANT_STICKINESS))
        if draw(st.booleans()):
            kind = draw(st.sampled_from(["string", "json", "csv", "number"]))
            variant["payload"] = {"type": kind, "value": draw(_pick(STRINGS + NUMBERS))}
        if feature_level and draw(st.booleans()):
            variant["overrides"] = [
                {
                    "contextName": draw(st.sampled_from(CONTEXT_NAMES)),
                    "values": draw(st.lists(_pick(STRINGS + IPS), min_size=1, max_size=3)),
                }
            ]
        variants.append(variant)
    if variants and not sum(v["weight"] for v in variants):
        # Unleash never serves a variant list weighing 0 in all; yggdrasil panics on one.
        variants[0]["weight"] = 1000
    return variants


@st.composite
def activation_strategies(draw: st.DrawFn, *, segment_ids: list[int]) -> dict[str, Any]:
    name = draw(
        st.sampled_from(
            [
                "default",
                "userWithId",
                "gradualRolloutUserId",
                "gradualRolloutSessionId",
                "gradualRolloutRandom",
                "flexibleRollout",
                "remoteAddress",
                "applicationHostname",
                "customStrategy",
            ]
        )
    )
    parameters: dict[str, Any] = {}
    if name == "userWithId":
        parameters["userIds"] = ",".join(draw(st.lists(_pick(STRINGS + NUMBERS), max_size=3)))
    elif name in ("gradualRolloutUserId", "gradualRolloutSessionId"):
        parameters = {"percentage": draw(PERCENT), "groupId": draw(GROUP_ID)}
    elif name == "gradualRolloutRandom":
        # Only the certain percentages: the random draw differs between engines by design.
        parameters["percentage"] = draw(st.sampled_from(["0", "100"]))
    elif name == "flexibleRollout":
        stickiness = draw(st.sampled_from([*STICKINESS, "random"]))
        rollout = draw(st.sampled_from(["0", "100"])) if stickiness == "random" else draw(PERCENT)
        parameters = {"rollout": rollout, "stickiness": stickiness, "groupId": draw(GROUP_ID)}
    elif name == "remoteAddress":
        parameters["IPs"] = ", ".join(draw(st.lists(_pick(IPS + CIDRS), max_size=3)))
    elif name == "applicationHostname":
        # Only hosts that are not this one: yggdrasil-engine 2.0.0 answered false here even for
        # this machine's own name (hostname and HOSTNAME set), leash true (RELIABILITY.md).
        parameters["hostNames"] = ",".join(
            draw(st.lists(st.sampled_from(["other-host", "OTHER-host", "x.invalid"]), max_size=2))
        )
    strategy: dict[str, Any] = {"name": name, "parameters": parameters}
    if draw(st.booleans()):
        strategy["constraints"] = draw(st.lists(constraints(), max_size=3))
    if len(segment_ids) > 0 and draw(st.booleans()):
        strategy["segments"] = draw(st.lists(st.sampled_from(segment_ids), max_size=2, unique=True))
    # A strategy's variants follow its stickiness: with "random" the pick is random by design.
    if parameters.get("stickiness") != "random" and draw(st.integers(0, 3)) == 0:
        strategy["variants"] = draw(variant_lists(feature_level=False))
    if draw(st.integers(0, 5)) == 0:
        strategy["disabled"] = draw(st.booleans())
    return strategy


@st.composite
def states(draw: st.DrawFn) -> dict[str, Any]:
    segments: list[dict[str, Any]] = [
        {
            "id": segment_id,
            "name": f"s{segment_id}",
            "constraints": draw(st.lists(constraints(), max_size=3)),
        }
        for segment_id in range(1, draw(st.integers(0, 3)) + 1)
    ]
    # A reference to a segment the state does not hold is a case too.
    segment_ids = [s["id"] for s in segments] + ([99] if draw(st.booleans()) else [])
    names = FLAG_NAMES[: draw(st.integers(1, len(FLAG_NAMES)))]
    features = []
    for name in names:
        feature: dict[str, Any] = {
            "name": name,
            "type": "release",
            "enabled": draw(st.integers(0, 4)) > 0,
            "project": "default",
            "strategies": draw(
                st.lists(activation_strategies(segment_ids=segment_ids), max_size=3)
            ),
        }
        if draw(st.booleans()):
            feature["variants"] = draw(variant_lists(feature_level=True))
        if name not in PARENTS and draw(st.integers(0, 1)) == 0:
            # Unleash allows one level: a parent has no parents of its own.
            parents = [*PARENTS, "missing"]
            dependencies = []
            for parent in draw(
                st.lists(st.sampled_from(parents), min_size=1, max_size=2, unique=True)
            ):
                dependency: dict[str, Any] = {"feature": parent}
                if draw(st.booleans()):
                    dependency["enabled"] = draw(st.booleans())
                if draw(st.booleans()):
                    dependency["variants"] = draw(
                        st.lists(st.sampled_from(["v1", "v2", "disabled"]), max_size=2)
                    )
                dependencies.append(dependency)
            feature["dependencies"] = dependencies
        features.append(feature)
    return {"version": 2, "features": features, "segments": segments}


@st.composite
def contexts(draw: st.DrawFn) -> dict[str, Any]:
    # Randomness is left out by construction: default stickiness always finds a userId or a
    # sessionId, and variant stickiness (default or tenant) always finds its value.
    ids = draw(st.sampled_from([["userId"], ["sessionId"], ["userId", "sessionId"]]))
    others = [n for n in CONTEXT_NAMES if n not in ("userId", "sessionId", "tenant")]
    names = [*ids, "tenant", *draw(st.lists(st.sampled_from(others), max_size=4, unique=True))]
    context: dict[str, Any] = {}
    properties: dict[str, str] = {}
    for name in names:
        if name == "remoteAddress":
            value = draw(_pick(IPS))
        elif name == "currentTime":
            value = draw(_pick(DATES[:3]))
        else:
            value = draw(_pick(ANY_VALUE))
        if name in ("tenant", "version", "count", "region") or draw(st.integers(0, 3)) == 0:
            properties[name] = value
        else:
            context[name] = value
    if properties:
        context["properties"] = properties
    return context


def _official(
    engine: UnleashEngine, name: str, context: dict[str, Any], *, known: set[str]
) -> tuple[bool, Any]:
    toggle = engine.check_enabled(name, context)
    chosen = engine.check_variant(name, context)
    if name in known and not (toggle.is_found and chosen.is_found):
        # check_* swallow the engine's panics and answer "not found": no reference answer.
        raise AssertionError(f"yggdrasil could not evaluate {name} in {context}")
    enabled, variant = toggle.is_enabled, chosen.variant
    answer = {
        "name": variant.name,
        "enabled": variant.enabled,
        "feature_enabled": variant.feature_enabled,
    }
    if variant.payload is not None:
        answer["payload"] = variant.payload
    return enabled, answer


def test_differential__random_states_and_contexts__leash_answers_as_yggdrasil() -> None:
    evaluations = 0

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=not RANDOM,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        state=states(),
        cases=st.lists(contexts(), min_size=CONTEXTS_PER_STATE, max_size=CONTEXTS_PER_STATE),
    )
    def check(state: dict[str, Any], cases: list[dict[str, Any]]) -> None:
        nonlocal evaluations
        official = UnleashEngine()
        official.take_state(json.dumps(state))
        ours = compile_state(state, hostname=HOSTNAME)
        known = {feature["name"] for feature in state["features"]}
        for context in cases:
            for name in [*FLAG_NAMES, "missing"]:
                # The whole state goes in the message: it is what a regression spec needs.
                case = json.dumps({"flag": name, "context": context, "state": state})
                try:
                    expected = _official(official, name, context, known=known)
                except AssertionError as error:
                    raise AssertionError(f"{error}: {case}") from None
                got = (ours.is_enabled(name, context), ours.get_variant(name, context))
                assert got == expected, case
                evaluations += 2

    check()
    print(f"differential: {evaluations} evaluations agreed")
    assert evaluations >= MIN_EVALUATIONS
