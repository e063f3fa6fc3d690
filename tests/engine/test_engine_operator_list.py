"""The engine's list of operators is the one the admin API derives from: each one compiles."""

from __future__ import annotations

from typing import Any

import pytest

from leash.engine import operators
from leash.engine.constraints import compile_constraint

_VALUES: dict[str, dict[str, Any]] = {
    **{name: {"values": ["a"]} for name in (*operators.LIST, *operators.STRING)},
    **{name: {"value": "1"} for name in operators.NUMBER},
    **{name: {"value": "2024-01-01T00:00:00.000Z"} for name in operators.DATE},
    **{name: {"value": "1.0.0"} for name in operators.SEMVER},
    operators.REGEX: {"value": "^a"},
    operators.IN_CIDR: {"values": ["10.0.0.0/8"]},
}


def test_operator_groups__together__every_operator_once() -> None:
    grouped = [*operators.UNLEASH, operators.IN_CIDR]
    assert len(grouped) == len(operators.ALL) == 19
    assert set(_VALUES) == operators.ALL


@pytest.mark.parametrize("name", sorted(operators.ALL))
def test_compile_constraint__listed_operator__compiles_without_error(name: str) -> None:
    compiled = compile_constraint({"contextName": "p", "operator": name, **_VALUES[name]})
    assert compiled.error is None
    assert compiled.operator == name
