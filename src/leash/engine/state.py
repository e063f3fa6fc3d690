"""The engine: client-features state compiled into predicates, and evaluation on it."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Final

from leash.engine.constraints import CompiledConstraint, failure
from leash.engine.context import Context, Resolver
from leash.engine.errors import CompileError, StateError
from leash.engine.results import (
    ConstraintResult,
    DependencyResult,
    Evaluation,
    SegmentResult,
    StrategyResult,
)
from leash.engine.strategies import (
    CompiledSegment,
    CompiledStrategy,
    Rule,
    always,
    compile_segment,
    compile_strategy,
    never,
    segment_id,
)
from leash.engine.variants import (
    CompiledVariant,
    compile_variants,
    seed_resolver,
    select_variant,
)

_EMPTY: Final[Mapping[str, Any]] = MappingProxyType({})


def disabled_variant(*, feature_enabled: bool) -> dict[str, Any]:
    return {"name": "disabled", "enabled": False, "feature_enabled": feature_enabled}


def default_hostname() -> str | None:
    """The host name applicationHostname compares with: ``$hostname``, else the OS's."""
    try:
        # lower-case on purpose: yggdrasil reads "hostname", not "HOSTNAME"
        return os.environ.get("hostname") or socket.gethostname()  # noqa: SIM112
    except OSError:
        return None


@dataclass(frozen=True, slots=True)
class Dependency:
    feature: str
    enabled: bool
    variants: tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class CompiledFeature:
    name: str
    enabled: bool
    project: str
    type: str | None
    impression_data: bool
    strategies: tuple[CompiledStrategy, ...]
    variants: tuple[CompiledVariant, ...]
    dependencies: tuple[Dependency, ...]
    error: str | None
    # any strategy passes (true without strategies), for a given rollout group
    strategies_check: Rule
    # the whole answer for flags without dependencies; None when dependencies need the engine
    fast: Callable[[Context], bool] | None
    # yggdrasil takes the stickiness of the first variant for all of them
    variant_seed: Resolver
    # explained by evaluate(), never evaluated: SDKs are not sent disabled strategies
    disabled_strategies: tuple[CompiledStrategy, ...] = ()


def _any_of(checks: tuple[Rule, ...]) -> Rule:
    if not checks:
        return always
    if len(checks) == 1:
        return checks[0]

    def any_strategy(ctx: Context, group: str) -> bool:
        # A plain loop: any() over a generator costs about twice as much per call.
        for check in checks:  # noqa: SIM110
            if check(ctx, group):
                return True
        return False

    return any_strategy


def _dependencies(raw: Any) -> tuple[Dependency, ...]:
    out = []
    for item in raw or []:
        if isinstance(item, Mapping) and isinstance(item.get("feature"), str):
            variants = item.get("variants")
            out.append(
                Dependency(
                    feature=item["feature"],
                    enabled=item.get("enabled") is not False,
                    variants=tuple(str(v) for v in variants)
                    if isinstance(variants, list)
                    else None,
                )
            )
    return tuple(out)


def compile_feature(
    raw: Mapping[str, Any],
    *,
    segments: Mapping[int, CompiledSegment],
    hostname: str | None,
    skip_disabled: bool = False,
) -> CompiledFeature:
    """Compile one flag; with ``skip_disabled``, strategies marked ``"disabled": true`` are
    only explained, never evaluated (yggdrasil evaluates them: SDKs are never sent any).

    Never raises: whatever in the flag the engine cannot read, the flag gets ``error`` and is
    off, as a flag yggdrasil cannot compile, while the state's other flags compile as usual.
    """
    try:
        return _compile_feature(
            raw, segments=segments, hostname=hostname, skip_disabled=skip_disabled
        )
    except CompileError as exc:
        return broken_feature(raw, reason=str(exc))
    except Exception as exc:  # whatever it is, it stays in this one definition
        return broken_feature(raw, reason=failure(exc))


def broken_feature(raw: Mapping[str, Any], *, reason: str) -> CompiledFeature:
    """A flag that could not be compiled: off for every context, ``reason`` as its error."""
    project = raw.get("project")
    feature_type = raw.get("type")
    return CompiledFeature(
        name=str(raw.get("name")),
        enabled=raw.get("enabled") is True,
        project=project if isinstance(project, str) else "default",
        type=feature_type if isinstance(feature_type, str) else None,
        impression_data=raw.get("impressionData") is True,
        strategies=(),
        variants=(),
        dependencies=(),
        error=reason,
        strategies_check=never,
        fast=_off,
        variant_seed=seed_resolver(None),
    )


def _compile_feature(
    raw: Mapping[str, Any],
    *,
    segments: Mapping[int, CompiledSegment],
    hostname: str | None,
    skip_disabled: bool,
) -> CompiledFeature:
    name = str(raw["name"])
    given = [s for s in raw.get("strategies") or [] if isinstance(s, Mapping)]

    def skipped(strategy: Mapping[str, Any]) -> bool:
        return skip_disabled and strategy.get("disabled") is True

    strategies = tuple(
        compile_strategy(s, index=i, feature_name=name, segments=segments, hostname=hostname)
        for i, s in enumerate(s for s in given if not skipped(s))
    )
    disabled = tuple(
        compile_strategy(s, index=i, feature_name=name, segments=segments, hostname=hostname)
        for i, s in enumerate(s for s in given if skipped(s))
    )
    # Like yggdrasil, one broken strategy (unknown operator, missing segment, ...) makes the
    # whole flag fail to compile, so it is off whatever the other strategies say.
    error = next((s.error for s in strategies if s.error), None)
    enabled = raw.get("enabled") is True
    check = never if error else _any_of(tuple(s.check for s in strategies))
    dependencies = _dependencies(raw.get("dependencies"))
    fast: Callable[[Context], bool] | None = None
    if not dependencies:
        if not enabled or check is never:
            fast = _off
        elif check is always:
            fast = _on
        else:

            def fast(ctx: Context) -> bool:
                return check(ctx, name)

    project = raw.get("project")
    feature_type = raw.get("type")
    variants = compile_variants(raw.get("variants"), with_overrides=True)
    return CompiledFeature(
        name=name,
        enabled=enabled,
        project=project if isinstance(project, str) else "default",
        type=feature_type if isinstance(feature_type, str) else None,
        impression_data=raw.get("impressionData") is True,
        strategies=strategies,
        variants=variants,
        dependencies=dependencies,
        error=error,
        strategies_check=check,
        fast=fast,
        variant_seed=seed_resolver(variants[0].stickiness if variants else None),
        disabled_strategies=disabled,
    )


def _off(_: Context) -> bool:
    return False


def _on(_: Context) -> bool:
    return True


def _segment_ids(feature: Mapping[str, Any]) -> set[int]:
    ids: set[int] = set()
    strategies = feature.get("strategies")
    for strategy in strategies if isinstance(strategies, list) else []:
        listed = strategy.get("segments") if isinstance(strategy, Mapping) else None
        for raw_id in listed if isinstance(listed, list) else []:
            sid = segment_id(raw_id)
            if sid is not None:
                ids.add(sid)
    return ids


@dataclass(frozen=True, slots=True)
class _State:
    raw_features: Mapping[str, Mapping[str, Any]]
    raw_segments: Mapping[int, Mapping[str, Any]]
    segments: Mapping[int, CompiledSegment]
    features: Mapping[str, CompiledFeature]


_NO_STATE: Final = _State({}, {}, {}, {})


def _features_by_name(raw: Any) -> dict[str, Mapping[str, Any]]:
    if not isinstance(raw, list):
        raise StateError("'features' must be a list")
    out: dict[str, Mapping[str, Any]] = {}
    for feature in raw:
        if not isinstance(feature, Mapping) or not isinstance(feature.get("name"), str):
            raise StateError("every feature needs a string 'name'")
        out[feature["name"]] = feature
    return out


def _segments_by_id(raw: Any) -> dict[int, Mapping[str, Any]]:
    if raw is None:
        return {}
    if not isinstance(raw, list):
        raise StateError("'segments' must be a list")
    out: dict[int, Mapping[str, Any]] = {}
    for segment in raw:
        if not isinstance(segment, Mapping) or not isinstance(segment.get("id"), int):
            raise StateError("every segment needs an integer 'id'")
        out[segment["id"]] = segment
    return out


class Engine:
    """Evaluates feature flags on client-features state, as the Unleash SDKs do.

    ``take_state`` compiles everything up front; evaluation only runs the compiled predicates.
    A new state is swapped in as a whole, so evaluating from other threads is safe.
    """

    def __init__(self, *, hostname: str | None = None, skip_disabled: bool = False) -> None:
        self._hostname = hostname
        self._skip_disabled = skip_disabled
        self._state = _NO_STATE

    # -- state ---------------------------------------------------------------------------

    def take_state(self, state: Mapping[str, Any]) -> dict[str, str]:
        """Load a client-features body, or apply a delta body onto the current state.

        Returns the flags that failed to compile (name → reason); those are always off.
        """
        if not isinstance(state, Mapping):
            raise StateError("state must be a JSON object")
        hostname = self._hostname if self._hostname is not None else default_hostname()
        if "features" in state:
            new = self._compile_all(
                _features_by_name(state["features"]),
                _segments_by_id(state.get("segments")),
                hostname,
            )
        elif "events" in state:
            new = self._apply_events(state["events"], hostname)
        else:
            raise StateError("state needs 'features' or 'events'")
        self._state = new
        return self.errors()

    def errors(self) -> dict[str, str]:
        """The flags of the current state that failed to compile (name → reason); those are
        always off. ``compile_state`` callers read them here."""
        return {f.name: f.error for f in self._state.features.values() if f.error}

    def _compile_all(
        self,
        raw_features: dict[str, Mapping[str, Any]],
        raw_segments: dict[int, Mapping[str, Any]],
        hostname: str | None,
    ) -> _State:
        segments = {sid: compile_segment(s) for sid, s in raw_segments.items()}
        features = {
            name: compile_feature(
                f, segments=segments, hostname=hostname, skip_disabled=self._skip_disabled
            )
            for name, f in raw_features.items()
        }
        return _State(raw_features, raw_segments, segments, features)

    def _apply_events(self, events: Any, hostname: str | None) -> _State:
        if not isinstance(events, list):
            raise StateError("'events' must be a list")
        old = self._state
        raw_features = dict(old.raw_features)
        raw_segments = dict(old.raw_segments)
        changed_features: set[str] = set()
        changed_segments: set[int] = set()
        hydrated = False
        for event in events:
            if not isinstance(event, Mapping):
                raise StateError("every event must be an object")
            kind = event.get("type")
            if kind == "hydration":
                raw_features = _features_by_name(event.get("features") or [])
                raw_segments = _segments_by_id(event.get("segments"))
                hydrated = True
            elif kind == "feature-updated":
                feature = _features_by_name([event.get("feature")])
                raw_features.update(feature)
                changed_features.update(feature)
            elif kind == "feature-removed":
                name = event.get("featureName")
                if isinstance(name, str):
                    raw_features.pop(name, None)
                    changed_features.add(name)
            elif kind == "segment-updated":
                segment = _segments_by_id([event.get("segment")])
                raw_segments.update(segment)
                changed_segments.update(segment)
            elif kind == "segment-removed":
                segment_id = event.get("segmentId")
                if isinstance(segment_id, int):
                    raw_segments.pop(segment_id, None)
                    changed_segments.add(segment_id)
            else:
                raise StateError(f"unknown event type {kind!r}")
        if hydrated:
            return self._compile_all(raw_features, raw_segments, hostname)
        # Recompile only what changed: the features updated and those using changed segments.
        segments = dict(old.segments)
        for sid in changed_segments:
            segments.pop(sid, None)
            if sid in raw_segments:
                segments[sid] = compile_segment(raw_segments[sid])
        if changed_segments:
            changed_features.update(
                name for name, f in raw_features.items() if _segment_ids(f) & changed_segments
            )
        features = dict(old.features)
        for name in changed_features:
            features.pop(name, None)
            if name in raw_features:
                features[name] = compile_feature(
                    raw_features[name],
                    segments=segments,
                    hostname=hostname,
                    skip_disabled=self._skip_disabled,
                )
        return _State(raw_features, raw_segments, segments, features)

    def feature_names(self) -> list[str]:
        return list(self._state.features)

    def feature(self, name: str) -> CompiledFeature | None:
        return self._state.features.get(name)

    def state(self) -> dict[str, Any]:
        """The current state as a client-features body (after any deltas)."""
        current = self._state
        return {
            "version": 2,
            "features": list(current.raw_features.values()),
            "segments": list(current.raw_segments.values()),
        }

    # -- evaluation ------------------------------------------------------------------------

    def is_enabled(self, name: str, context: Context | None = None) -> bool:
        feature = self._state.features.get(name)
        if feature is None:
            return False
        ctx = _EMPTY if context is None else context
        if feature.fast is not None:
            return feature.fast(ctx)
        return self._enabled(feature, ctx, name)

    def get_variant(self, name: str, context: Context | None = None) -> dict[str, Any]:
        """The SDK-shaped variant: ``{name, payload?, enabled, feature_enabled}``."""
        state = self._state
        feature = state.features.get(name)
        if feature is None or not feature.enabled or feature.error:
            # A flag that failed to compile is off, for variants as for is_enabled (yggdrasil).
            return disabled_variant(feature_enabled=False)
        ctx = _EMPTY if context is None else context
        if feature.dependencies and not self._dependencies_met(feature, ctx, state):
            return disabled_variant(feature_enabled=False)
        matched: CompiledStrategy | None = None
        if feature.strategies or feature.error:
            for strategy in feature.strategies:
                if strategy.check(ctx, name):
                    matched = strategy
                    break
            else:
                return disabled_variant(feature_enabled=False)
        variant = self._variant(feature, matched, ctx)
        return disabled_variant(feature_enabled=True) if variant is None else variant.as_result()

    def _enabled(self, feature: CompiledFeature, ctx: Context, group: str) -> bool:
        if not feature.enabled:
            return False
        if feature.dependencies and not self._dependencies_met(feature, ctx, self._state):
            return False
        return feature.strategies_check(ctx, group)

    @staticmethod
    def _variant(
        feature: CompiledFeature, matched: CompiledStrategy | None, ctx: Context
    ) -> CompiledVariant | None:
        if matched is not None and matched.variants:
            return select_variant(
                matched.variants, group=matched.variant_group, seed=matched.variant_seed, ctx=ctx
            )
        return select_variant(
            feature.variants, group=feature.name, seed=feature.variant_seed, ctx=ctx
        )

    def _parent_variant(
        self, parent: CompiledFeature, ctx: Context, group: str
    ) -> CompiledVariant | None:
        matched = next((s for s in parent.strategies if s.check(ctx, group)), None)
        return self._variant(parent, matched, ctx)

    def _check_dependency(
        self, feature: CompiledFeature, dep: Dependency, ctx: Context, state: _State
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
            variant = self._parent_variant(parent, ctx, feature.name)
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

    def _dependencies_met(self, feature: CompiledFeature, ctx: Context, state: _State) -> bool:
        return all(
            self._check_dependency(feature, dep, ctx, state).result for dep in feature.dependencies
        )

    def evaluate(self, name: str, context: Context | None = None) -> Evaluation:
        """Evaluate ``name`` and explain every strategy, constraint, segment and dependency.

        Nothing short-circuits, so the explanation also says what would pass if the flag were
        switched on. Random rollouts draw again, so the answer can differ from an earlier call.
        """
        state = self._state
        ctx = _EMPTY if context is None else context
        feature = state.features.get(name)
        if feature is None:
            return Evaluation(
                name, False, False, False, None, False, (), False, (),
                disabled_variant(feature_enabled=False),
            )  # fmt: skip
        deps = tuple(self._check_dependency(feature, d, ctx, state) for d in feature.dependencies)
        deps_ok = all(d.result for d in deps)
        strategies = tuple(_explain_strategy(s, ctx, name) for s in feature.strategies)
        strategies_ok = feature.error is None and (
            not strategies or any(s.result for s in strategies)
        )
        enabled = feature.enabled and deps_ok and strategies_ok
        if enabled:
            first = next((s for s in strategies if s.result), None)
            if first is not None and first.variant is not None:
                # the pick already explained, so a random pick is not drawn twice
                variant_result = first.variant
            else:
                matched = feature.strategies[first.index] if first is not None else None
                variant = self._variant(feature, matched, ctx)
                variant_result = (
                    disabled_variant(feature_enabled=True)
                    if variant is None
                    else variant.as_result()
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


def compile_state(
    state: Mapping[str, Any], *, hostname: str | None = None, skip_disabled: bool = False
) -> Engine:
    """An :class:`Engine` holding ``state`` (a client-features body or a delta body)."""
    engine = Engine(hostname=hostname, skip_disabled=skip_disabled)
    engine.take_state(state)
    return engine
