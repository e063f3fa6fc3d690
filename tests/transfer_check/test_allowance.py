"""The export/import allowance against what was measured: Unleash 8.2.0 moved into another
Unleash 8.2.0 with its own export/import (fixtures/unleash_to_unleash.json, recorded by
tools/migration_check/unleash_to_unleash.py). The allowance explains every difference measured,
and nothing more than what Unleash's format cannot carry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tools.migration_check import allowance, compare, dataset

FIXTURES = Path(__file__).parent / "fixtures"


def baseline() -> dict[str, Any]:
    recorded: dict[str, Any] = json.loads((FIXTURES / "unleash_to_unleash.json").read_text())
    return recorded


def sections(recorded: dict[str, Any]) -> list[compare.Section]:
    out = []
    for s in recorded["sections"]:
        section = compare.Section(s["name"], s["total"], s["agreed"], s["differences"])
        section.groups = s["groups"]
        out.append(section)
    return out


def views(recorded: dict[str, Any]) -> compare.AdminViews:
    return compare.AdminViews(**recorded["source_views"])


def source_allowance() -> allowance.Allowance:
    return allowance.export_import_allowance(views(baseline()), environments=dataset.ENVIRONMENTS)


def test_baseline__measured_numbers() -> None:
    recorded = baseline()

    assert {s.name: (s.agreed, s.total) for s in sections(recorded)} == {
        "client payloads": (222, 230),
        "admin views": (76, 96),
        "evaluation": (215406, 220000),
    }
    assert recorded["sections"][2]["groups"] == {
        "development growth-order-0": [1818, 2000],
        "production growth-child-of-order": [383, 2000],
        "production growth-order-0": [1818, 2000],
        "production growth-order-1": [383, 2000],
        "production growth-order-3": [192, 2000],
    }
    assert [entry["status"] for entry in recorded["log"]["imports"]] == [200] * 8


def test_allowance__explains_every_measured_difference() -> None:
    recorded = baseline()
    allowed = source_allowance()

    assert allowance.outside(sections(recorded), allowed) == []
    assert set(recorded["sections"][2]["groups"]) <= allowed.evaluation


def test_allowance__only_what_the_format_cannot_carry() -> None:
    allowed = source_allowance()

    assert allowed.whole == {
        "context field order",
        "context field country",
        "context field plan",
        "flag default-archived",
        "flag growth-archived",
        "flag payments-archived",
        "flag platform-archived",
        "tag team:default",
        "tag team:platform",
    }
    assert allowed.paths["context field tier"] == (".sortOrder",)
    assert allowed.paths["flag growth-order-1"] == (
        ".environments[0].strategies",
        ".environments[1].strategies",
    )
    assert sorted(allowed.evaluation) == [
        f"{environment} {flag}"
        for environment, flags in (
            ("development", ["growth-child-of-order", "growth-order-0", "growth-order-1",
                             "growth-order-2", "growth-order-3", "platform-kill-1",
                             "platform-kill-3", "platform-kill-5"]),
            ("production", ["growth-child-of-order", "growth-order-0", "growth-order-1",
                            "growth-order-2", "growth-order-3"]),
        )
        for flag in flags
    ]  # fmt: skip
    # anything else is a loss
    for difference in (
        "flag default-parent: missing in b",
        'flag growth-order-1: .description: "x" != "y"',
        'context field tier: .legalValues[0].value: "free" != "pro"',
        "segment nordics: missing in b",
        "strategy betaTesters: missing in b",
        "development growth-op-in-tier context #3: [true] != [false]",
        "production platform-kill-1 context #3: [true] != [false]",
        "development inline feature default-parent: .variants: [] != [1]",
        "tag team:payments: missing in b",
    ):
        assert not allowed.allows(difference), difference
