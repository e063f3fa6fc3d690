"""Evaluating a context against a compiled state: is a flag on, which variant, are its
dependencies met; as the Unleash SDKs' engine (yggdrasil) answers."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

from leash.engine.compile import CompiledFeature, CompiledState, Dependency
from leash.engine.context import Context
from leash.engine.results import DependencyResult
from leash.engine.strategies import CompiledStrategy
from leash.engine.variants import CompiledVariant, select_variant

EMPTY_CONTEXT: Final[Mapping[str, Any]] = MappingProxyType({})


def disabled_variant(*, feature_enabled: bool) -> dict[str, Any]:
    return {"name": "disabled", "enabled": False, "feature_enabled": feature_enabled}


def enabled(feature: CompiledFeature, ctx: Context, state: CompiledState, group: str) -> bool:
    """Is `feature` on for `ctx`, the long way (its `fast` check is the short one)."""
    if not feature.enabled:
        return False
    if feature.dependencies and not dependencies_met(feature, ctx, state):
        return False
    return feature.strategies_check(ctx, group)


def get_variant(state: CompiledState, name: str, ctx: Context) -> dict[str, Any]:
    """The SDK-shaped variant: ``{name, payload?, enabled, feature_enabled}``."""
    feature = state.features.get(name)
    if feature is None or not feature.enabled or feature.error:
        # A flag that failed to compile is off, for variants as for is_enabled (yggdrasil).
        return disabled_variant(feature_enabled=False)
    if feature.dependencies and not dependencies_met(feature, ctx, state):
        return disabled_variant(feature_enabled=False)
    matched: CompiledStrategy | None = None
    if feature.strategies or feature.error:
        for strategy in feature.strategies:
            if strategy.check(ctx, name):
                matched = strategy
                break
        else:
            return disabled_variant(feature_enabled=False)
    variant = feature_variant(feature, matched, ctx)
    return disabled_variant(feature_enabled=True) if variant is None else variant.as_result()


def feature_variant(
    feature: CompiledFeature, matched: CompiledStrategy | None, ctx: Context
) -> CompiledVariant | None:
    if matched is not None and matched.variants:
        return select_variant(
            matched.variants, group=matched.variant_group, seed=matched.variant_seed, ctx=ctx
        )
    return select_variant(feature.variants, group=feature.name, seed=feature.variant_seed, ctx=ctx)


def _parent_variant(parent: CompiledFeature, ctx: Context, group: str) -> CompiledVariant | None:
    matched = next((s for s in parent.strategies if s.check(ctx, group)), None)
    return feature_variant(parent, matched, ctx)


def check_dependency(
    feature: CompiledFeature, dep: Dependency, ctx: Context, state: CompiledState
) -> DependencyResult:
    parent = state.features.get(dep.feature)
    if parent is None:
        return DependencyResult(
            dep.feature, dep.enabled, dep.variants, False, None, None, False, "parent missing"
        )
    if parent.dependencies:
        # yggdrasil supports one level only: a parent with parents of its own is unmet.
        return DependencyResult(
            dep.feature,
            dep.enabled,
            dep.variants,
            True,
            None,
            None,
            False,
            "parent has dependencies of its own",
        )
    # yggdrasil evaluates the parent under the child's name, which is the rollout group of
    # parent strategies without a groupId.
    parent_on = parent.enabled and parent.strategies_check(ctx, feature.name)
    variant_name: str | None = None
    if dep.variants:
        variant = _parent_variant(parent, ctx, feature.name)
        # A parent without variants satisfies any variant condition in yggdrasil.
        if variant is not None:
            variant_name = variant.name
            if variant.name not in dep.variants:
                return DependencyResult(
                    dep.feature,
                    dep.enabled,
                    dep.variants,
                    True,
                    parent_on,
                    variant_name,
                    False,
                    "parent variant not expected",
                )
    ok = parent_on == dep.enabled
    return DependencyResult(
        dep.feature,
        dep.enabled,
        dep.variants,
        True,
        parent_on,
        variant_name,
        ok,
        None if ok else "parent enabled state not expected",
    )


def dependencies_met(feature: CompiledFeature, ctx: Context, state: CompiledState) -> bool:
    return all(check_dependency(feature, dep, ctx, state).result for dep in feature.dependencies)
