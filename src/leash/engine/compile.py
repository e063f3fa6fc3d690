"""Compiling client-features state: every flag and segment into predicates, once, whole from a
body or by a delta from the state before it."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from leash.engine.constraints import failure
from leash.engine.context import Context, Resolver
from leash.engine.errors import CompileError, StateError
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
from leash.engine.variants import CompiledVariant, compile_variants, seed_resolver


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
class CompiledState:
    """A client-features state as given (raw) and compiled; replaced whole, never changed."""

    raw_features: Mapping[str, Mapping[str, Any]]
    raw_segments: Mapping[int, Mapping[str, Any]]
    segments: Mapping[int, CompiledSegment]
    features: Mapping[str, CompiledFeature]


NO_STATE: Final = CompiledState({}, {}, {}, {})


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


def next_state(
    old: CompiledState, body: Mapping[str, Any], *, hostname: str | None, skip_disabled: bool
) -> CompiledState:
    """The state a client-features body compiles to, or `old` with a delta body applied."""
    if not isinstance(body, Mapping):
        raise StateError("state must be a JSON object")
    if "features" in body:
        return compile_all(
            _features_by_name(body["features"]),
            _segments_by_id(body.get("segments")),
            hostname=hostname,
            skip_disabled=skip_disabled,
        )
    if "events" in body:
        return apply_events(old, body["events"], hostname=hostname, skip_disabled=skip_disabled)
    raise StateError("state needs 'features' or 'events'")


def compile_all(
    raw_features: dict[str, Mapping[str, Any]],
    raw_segments: dict[int, Mapping[str, Any]],
    *,
    hostname: str | None,
    skip_disabled: bool,
) -> CompiledState:
    segments = {sid: compile_segment(s) for sid, s in raw_segments.items()}
    features = {
        name: compile_feature(f, segments=segments, hostname=hostname, skip_disabled=skip_disabled)
        for name, f in raw_features.items()
    }
    return CompiledState(raw_features, raw_segments, segments, features)


def apply_events(
    old: CompiledState, events: Any, *, hostname: str | None, skip_disabled: bool
) -> CompiledState:
    if not isinstance(events, list):
        raise StateError("'events' must be a list")
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
        return compile_all(
            raw_features, raw_segments, hostname=hostname, skip_disabled=skip_disabled
        )
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
                skip_disabled=skip_disabled,
            )
    return CompiledState(raw_features, raw_segments, segments, features)
