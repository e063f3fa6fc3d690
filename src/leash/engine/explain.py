"""Explaining an evaluation, for the playground: every strategy, constraint, segment and
dependency of a flag with its own result, nothing short-circuited."""

from __future__ import annotations

from collections.abc import Iterable

from leash.engine.compile import CompiledState
from leash.engine.constraints import CompiledConstraint
from leash.engine.context import Context
from leash.engine.evaluate import check_dependency, disabled_variant, feature_variant
from leash.engine.results import ConstraintResult, Evaluation, SegmentResult, StrategyResult
from leash.engine.strategies import CompiledStrategy
from leash.engine.variants import select_variant


def explain(state: CompiledState, name: str, ctx: Context) -> Evaluation:
    """`name` evaluated for `ctx` with every part of the answer; random rollouts draw again."""
    feature = state.features.get(name)
    if feature is None:
        return Evaluation(
            name, False, False, False, None, False, (), False, (),
            disabled_variant(feature_enabled=False),
        )  # fmt: skip
    deps = tuple(check_dependency(feature, d, ctx, state) for d in feature.dependencies)
    deps_ok = all(d.result for d in deps)
    strategies = tuple(_explain_strategy(s, ctx, name) for s in feature.strategies)
    strategies_ok = feature.error is None and (not strategies or any(s.result for s in strategies))
    enabled = feature.enabled and deps_ok and strategies_ok
    if enabled:
        first = next((s for s in strategies if s.result), None)
        if first is not None and first.variant is not None:
            # the pick already explained, so a random pick is not drawn twice
            variant_result = first.variant
        else:
            matched = feature.strategies[first.index] if first is not None else None
            variant = feature_variant(feature, matched, ctx)
            variant_result = (
                disabled_variant(feature_enabled=True) if variant is None else variant.as_result()
            )
    else:
        variant_result = disabled_variant(feature_enabled=False)
    return Evaluation(
        name=name,
        found=True,
        enabled=enabled,
        flag_enabled=feature.enabled,
        error=feature.error,
        dependencies_result=deps_ok,
        dependencies=deps,
        strategies_result=strategies_ok,
        strategies=strategies,
        variant=variant_result,
        disabled_strategies=tuple(
            _explain_strategy(s, ctx, name) for s in feature.disabled_strategies
        ),
    )


def _explain_constraints(
    constraints: Iterable[CompiledConstraint], ctx: Context
) -> tuple[ConstraintResult, ...]:
    return tuple(
        ConstraintResult(
            context_name=c.context_name,
            operator=c.operator,
            values=c.values,
            value=c.value,
            inverted=c.inverted,
            case_insensitive=c.case_insensitive,
            context_value=c.resolve(ctx),
            result=c.error is None and c.predicate(ctx),
            error=c.error,
        )
        for c in constraints
    )


def _explain_strategy(strategy: CompiledStrategy, ctx: Context, group: str) -> StrategyResult:
    constraints = _explain_constraints(strategy.constraints, ctx)
    segments = []
    for segment in strategy.segments:
        seg_constraints = _explain_constraints(segment.constraints, ctx)
        segments.append(
            SegmentResult(
                id=segment.id,
                name=segment.name,
                found=segment.found,
                result=segment.error is None and all(c.result for c in seg_constraints),
                constraints=seg_constraints,
                error=segment.error,
            )
        )
    rule_ok = strategy.rule(ctx, group)
    constraints_ok = all(c.result for c in constraints)
    segments_ok = all(s.result for s in segments)
    picked = (
        select_variant(
            strategy.variants, group=strategy.variant_group, seed=strategy.variant_seed, ctx=ctx
        )
        if strategy.variants
        else None
    )
    return StrategyResult(
        name=strategy.name,
        index=strategy.index,
        id=strategy.id,
        parameters=strategy.parameters,
        strategy_result=rule_ok,
        constraints_result=constraints_ok,
        segments_result=segments_ok,
        result=not strategy.disabled
        and strategy.error is None
        and rule_ok
        and constraints_ok
        and segments_ok,
        constraints=constraints,
        segments=tuple(segments),
        variant_names=tuple(v.name for v in strategy.variants),
        error=strategy.error,
        disabled=strategy.disabled,
        title=strategy.title,
        variant=None if picked is None else picked.as_result(),
    )
