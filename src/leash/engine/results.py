"""Structured explanations of one flag evaluation (the basis of a playground)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class ConstraintResult:
    context_name: str
    operator: str
    values: tuple[str, ...]
    value: str | None
    inverted: bool
    case_insensitive: bool
    # the value the constraint read from the context (None: absent)
    context_value: str | None
    result: bool
    # why the constraint cannot be compiled; such a constraint turns the whole flag off
    error: str | None = None


@dataclass(frozen=True, slots=True)
class SegmentResult:
    id: int
    name: str | None
    # False when the segment is missing: a missing segment turns the whole flag off
    found: bool
    result: bool
    constraints: tuple[ConstraintResult, ...]
    error: str | None = None


@dataclass(frozen=True, slots=True)
class StrategyResult:
    name: str
    index: int
    id: str | None
    parameters: Mapping[str, str]
    # the strategy's own test (rollout, user ids, ...) before constraints and segments
    strategy_result: bool
    constraints_result: bool
    segments_result: bool
    # all three, and no compile error
    result: bool
    constraints: tuple[ConstraintResult, ...]
    segments: tuple[SegmentResult, ...]
    variant_names: tuple[str, ...]
    error: str | None = None
    # a disabled strategy is explained but never counts: result is always False
    disabled: bool = False
    title: str | None = None
    # the strategy's own variant for this context, whatever its result (None: no variants)
    variant: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class DependencyResult:
    feature: str
    expected_enabled: bool
    expected_variants: tuple[str, ...] | None
    found: bool
    parent_enabled: bool | None
    parent_variant: str | None
    result: bool
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Evaluation:
    name: str
    found: bool
    # the final answer, as is_enabled gives it
    enabled: bool
    # the flag's own on/off switch in this state
    flag_enabled: bool
    # a compile error that keeps the flag off whatever the context
    error: str | None
    dependencies_result: bool
    dependencies: tuple[DependencyResult, ...]
    # true when there are no strategies or at least one passes
    strategies_result: bool
    strategies: tuple[StrategyResult, ...]
    # the get_variant result for this evaluation
    variant: dict[str, Any]
    # disabled strategies (which SDKs are never sent), explained as if they were enabled
    disabled_strategies: tuple[StrategyResult, ...] = ()
