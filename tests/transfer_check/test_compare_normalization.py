"""compare.py's normalization and judgement on small payloads recorded from Unleash 8.2.0.

fixtures/client_payloads.json: the production client payload (segments mode) of a few flags of
the seeded source (ref5) and of its copy made with Unleash's own export/import (ref6): the
copy renumbers segments and loses strategy order (growth-order-1).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tools.migration_check import compare, dataset

FIXTURES = Path(__file__).parent / "fixtures"


def recorded() -> dict[str, Any]:
    payloads: dict[str, Any] = json.loads((FIXTURES / "client_payloads.json").read_text())
    return payloads


def feature(payload: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(f for f in payload["features"] if f["name"] == name)
    return found


def test_normalize_client_payload__renumbered_segments__compare_by_name() -> None:
    payloads = recorded()
    source, copy = payloads["source"], payloads["imported"]
    # Unleash's import gives the re-created segments new ids...
    assert feature(source, "pay-vip-only")["strategies"][0]["segments"] == [4, 5]
    assert feature(copy, "pay-vip-only")["strategies"][0]["segments"] == [1, 5]

    a = compare.normalize_client_payload(source)
    b = compare.normalize_client_payload(copy)

    # ...which the normalization replaces by names (in name order: their order means nothing).
    assert a["features"]["pay-vip-only"] == {
        "enabled": True,
        "impressionData": False,
        "name": "pay-vip-only",
        "project": "payments",
        "stale": False,
        "strategies": [
            {
                "constraints": [],
                "name": "default",
                "parameters": {},
                "segments": ["empty", "payments-vip"],
                "variants": [],
            }
        ],
        "type": "permission",
        "variants": [],
        "description": None,
    }
    assert a["features"]["pay-vip-only"] == b["features"]["pay-vip-only"]
    assert a["segments"] == b["segments"]
    assert sorted(a["segments"]) == ["empty", "nordics", "not-brazil", "paying", "payments-vip"]
    assert "id" not in a["segments"]["nordics"]


def test_compare_keyed__strategy_order_lost__the_flag_differs_with_its_places() -> None:
    payloads = recorded()
    a = compare.normalize_client_payload(payloads["source"])
    b = compare.normalize_client_payload(payloads["imported"])
    section = compare.Section("client payloads")

    compare.compare_keyed(section, kind="feature", a=a["features"], b=b["features"])
    compare.compare_keyed(section, kind="segment", a=a["segments"], b=b["segments"])

    assert (section.agreed, section.total) == (9, 10)
    assert section.differences == [
        'feature growth-order-1: .strategies[0].constraints: [{"caseInsensitive": false, '
        '"contextName": "tier", "inverted": false, "operator": "IN", "values": ["pro"]}] != []',
        'feature growth-order-1: .strategies[0].parameters.rollout: "100" != "80"',
        'feature growth-order-1: .strategies[0].parameters.stickiness: "userId" != "default"',
        'feature growth-order-1: .strategies[0].variants: [{"name": "green", "payload": '
        '{"type": "json", "value": "{\\"g\\": 1}"}, "stickiness": "default", "weight": 500, '
        '"weightType": "variable"}, {"name": "red", "pa... != [{"name": "blue", "payload": '
        '{"type": "csv", "value": "a,b"}, "stickiness": "orgId", "weight": 1000, '
        '"weightType": "variable"}]',
        'feature growth-order-1: .strategies[1].constraints: [] != [{"caseInsensitive": false, '
        '"contextName": "tier", "inverted": false, "operator": "IN", "values": ["pro"]}]',
        'feature growth-order-1: .strategies[1].parameters.rollout: "80" != "100"',
        'feature growth-order-1: .strategies[1].parameters.stickiness: "default" != "userId"',
        'feature growth-order-1: .strategies[1].variants: [{"name": "blue", "payload": '
        '{"type": "csv", "value": "a,b"}, "stickiness": "orgId", "weight": 1000, '
        '"weightType": "variable"}] != [{"name": "green", "payload": {"type": "json", '
        '"value": "{\\"g\\": 1}"}, "stickiness": "default", "weight": 500, '
        '"weightType": "variable"}, {"name": "red", "pa...',
    ]
    assert section.summary() == "client payloads: 90.00% agree (9/10)"


def test_canonical__volatile_keys_dropped_unordered_lists_sorted_ordered_kept() -> None:
    value = {
        "id": "01ABC",
        "createdAt": "2026-01-01T00:00:00.000Z",
        "name": "f",
        "tags": [{"type": "b", "value": "2"}, {"type": "a", "value": "1"}],
        "strategies": [
            {"id": 7, "name": "second", "constraints": [{"values": ["y", "x"]}]},
            {"id": 3, "name": "first"},
        ],
        "variants": [{"name": "z"}, {"name": "a"}],
    }

    assert compare.canonical(value) == {
        "name": "f",
        "strategies": [
            {"constraints": [{"values": ["x", "y"]}], "name": "second"},
            {"name": "first"},
        ],
        "tags": [{"type": "a", "value": "1"}, {"type": "b", "value": "2"}],
        "variants": [{"name": "z"}, {"name": "a"}],
    }


def test_differences__missing_keys_and_lengths__named_by_path() -> None:
    a = {"x": 1, "only_a": True, "list": [1, 2], "nested": {"k": "v"}}
    b = {"x": 2, "list": [1], "nested": {"k": "w", "only_b": None}}

    assert compare.differences(a, b) == [
        ".list: [1, 2] != [1]",
        '.nested.k: "v" != "w"',
        ".nested.only_b: only in b (null)",
        ".only_a: only in a (true)",
        ".x: 1 != 2",
    ]
    assert compare.differences(a, b, limit=2) == [".list: [1, 2] != [1]", '.nested.k: "v" != "w"']
    assert compare.differences(a, a) == []


def test_compare_keyed__one_side_missing__counts_as_a_difference() -> None:
    section = compare.Section("admin views")

    compare.compare_keyed(section, kind="flag", a={"a": 1, "b": 2}, b={"b": 2, "c": 3})

    assert (section.agreed, section.total) == (1, 3)
    assert section.differences == ["flag a: missing in b", "flag c: missing in a"]


def test_compare_evaluation__per_flag_counts_of_disagreeing_contexts() -> None:
    section = compare.Section("evaluation")
    cases: list[dict[str, Any]] = [{"userId": "1"}, {"userId": "2"}]
    off = (False, {"name": "disabled", "enabled": False, "feature_enabled": False})
    on = (True, {"name": "disabled", "enabled": False, "feature_enabled": True})

    compare.compare_evaluation(
        section,
        environment="development",
        a={"f": [on, on], "g": [off, off]},
        b={"f": [on, off], "g": [off, off]},
        cases=cases,
    )

    assert (section.agreed, section.total) == (3, 4)
    assert {g: c for g, c in section.groups.items() if c[0]} == {"development f": [1, 2]}
    assert list(compare.report([section], show=5)) == [
        "evaluation: 75.00% agree (3/4)",
        "evaluation: where they disagree",
        "  development f: 1/2 differ",
        "first differences in evaluation (a != b):",
        '  development f context #1: [true, {"enabled": false, "feature_enabled": true, '
        '"name": "disabled"}] != [false, {"enabled": false, "feature_enabled": false, '
        '"name": "disabled"}] for {"userId": "2"}',
    ]


def test_contexts__deterministic_and_varied() -> None:
    first = compare.contexts(2000)

    assert first == compare.contexts(2000)
    assert len(first) == 2000
    assert first[1] == {
        "userId": "user-1",
        "sessionId": "s-156975x2",
        "remoteAddress": "10.2.84.3",
        "properties": {
            "tier": "free",
            "country": "DK",
            "plan": "silver",
            "appVersion": "1.6.2-beta.1",
            "age": "10",
            "orgId": "org-34",
        },
        "currentTime": "2024-09-01T00:00:00.000Z",
    }
    # every 11th has no userId, two in three carry a time, every tier is drawn
    assert sum("userId" not in c for c in first) == 182
    assert sum("currentTime" in c for c in first) == 1333
    assert {c["properties"]["tier"] for c in first} == set(compare.TIERS)


def test_beta_testers__named_users_then_a_stable_share() -> None:
    strategy = compare.BetaTesters()

    assert strategy.apply({"users": "a, b", "percentage": "0"}, {"userId": "b"}) is True
    assert strategy.apply({"users": "a", "percentage": "0"}, {"userId": "b"}) is False
    assert strategy.apply({"users": "a", "percentage": "100"}, {"userId": "b"}) is True
    assert strategy.apply({"users": "a", "percentage": "x"}, {"userId": "b"}) is False
    share = [
        strategy.apply({"users": "", "percentage": "30"}, {"userId": f"u{i}"}) for i in range(1000)
    ]
    assert sum(share) == sum(
        strategy.apply({"users": "", "percentage": "30"}, {"userId": f"u{i}"}) for i in range(1000)
    )
    assert 250 < sum(share) < 350


OPERATORS = {
    "IN", "NOT_IN", "STR_CONTAINS", "STR_STARTS_WITH", "STR_ENDS_WITH",
    "NUM_EQ", "NUM_GT", "NUM_GTE", "NUM_LT", "NUM_LTE",
    "SEMVER_EQ", "SEMVER_GT", "SEMVER_LT", "DATE_AFTER", "DATE_BEFORE",
}  # fmt: skip


def flag_constraints() -> list[dict[str, Any]]:
    return [
        constraint
        for flag in dataset.flags()
        for setup in flag["environments"].values()
        for strategy in setup.get("strategies", [])
        for constraint in strategy.get("constraints", [])
    ]


def test_dataset__covers_what_issue_14_names() -> None:
    flags = dataset.flags()
    names = [flag["name"] for flag in flags]
    constraints = flag_constraints() + [
        c for segment in dataset.SEGMENTS for c in segment["constraints"]
    ]

    assert len(flags) == 59
    assert len(set(names)) == len(names)
    assert {flag["project"] for flag in flags} == {"default", "payments", "growth", "platform"}
    assert {flag["type"] for flag in flags} == {
        "release", "experiment", "operational", "kill-switch", "permission"
    }  # fmt: skip
    assert {c["operator"] for c in constraints} == OPERATORS
    assert any(c["inverted"] for c in constraints)
    assert any(c["caseInsensitive"] for c in constraints)
    assert sum(flag.get("archived", False) for flag in flags) == 4
    # context fields referenced only inside segments
    in_flags = {c["contextName"] for c in flag_constraints()}
    in_segments = {c["contextName"] for s in dataset.SEGMENTS for c in s["constraints"]}
    assert in_segments - in_flags == {"country", "plan"}


def test_dataset__references_resolve() -> None:
    flags = {flag["name"]: flag for flag in dataset.flags()}
    segments = {segment["name"] for segment in dataset.SEGMENTS}
    for flag in flags.values():
        for dependency in flag.get("dependencies", []):
            parent = flags[dependency["feature"]]
            assert parent["project"] == flag["project"]
            assert not parent.get("archived")
        for setup in flag["environments"].values():
            for strategy in setup.get("strategies", []):
                assert set(strategy.get("segments", [])) <= segments
