"""A rendered body compiled for server-side evaluation (frontend API, playground): the engine,
and per flag the plan the frontend API answers from; recompiled by delta from the compilation
before it."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from leash.client_api.isolation import compile_isolated
from leash.client_api.rendering import Rendered
from leash.engine.evaluate import disabled_variant

log = logging.getLogger("leash.snapshot")

# A compiled engine is counted as this many times the bytes of its body: measured, 4.6x for
# 5,000 flags using large segments, 10x for small flags without segments.
COMPILED_BYTES_PER_BODY_BYTE = 8


@dataclass(frozen=True)
class Compiled:
    """A rendered state compiled once for server-side evaluation (frontend API, playground)."""

    features: dict[str, dict[str, Any]]  # the flags in the engine
    engine: Any
    # Per flag, in body order: (name, its compiled fast check or None, the frontend toggle as
    # ready JSON bytes when its variant cannot depend on the context, else None, impressionData).
    plan: tuple[tuple[str, Any, bytes | None, bool], ...] = ()
    segments: tuple[dict[str, Any], ...] = ()
    # Flags the engine compiled as always off: name -> its reason.
    failed: Mapping[str, str] = field(default_factory=dict)
    # Flags that broke the engine, left out of it (so off): name -> (their body, error class).
    left_out: Mapping[str, tuple[dict[str, Any], str]] = field(default_factory=dict)


def toggle_bytes(name: str, variant: dict[str, Any], impression: bool) -> bytes:
    variant = dict(variant)
    # Unleash sends both spellings; older frontend SDKs read the snake_case one.
    variant["featureEnabled"] = variant.get("feature_enabled", True)
    return orjson.dumps(
        {"name": name, "enabled": True, "variant": variant, "impressionData": impression}
    )


def _changes(
    rendered: Rendered, previous: Compiled, *, left_out: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """The engine delta from `previous` to `rendered`: changed and removed flags and segments
    (flags still `left_out` of the engine stay out of it)."""
    events: list[dict[str, Any]] = []
    old_features = previous.features
    for name, feature in rendered.features.items():
        if name in left_out:
            continue
        old = old_features.get(name)
        if old is not feature and old != feature:
            events.append({"type": "feature-updated", "feature": feature})
    for name in old_features.keys() - rendered.features.keys():
        events.append({"type": "feature-removed", "featureName": name})
    old_segments = {segment["id"]: segment for segment in previous.segments}
    new_ids = set()
    for segment in rendered.segments:
        new_ids.add(segment["id"])
        old = old_segments.get(segment["id"])
        if old is not segment and old != segment:
            events.append({"type": "segment-updated", "segment": segment})
    for segment_id in old_segments.keys() - new_ids:
        events.append({"type": "segment-removed", "segmentId": segment_id})
    return events


def _still_left_out(rendered: Rendered, previous: Compiled) -> dict[str, tuple[Any, str]]:
    """The flags `previous` left out of its engine whose body has not changed since."""
    kept = {}
    for name, (feature, error) in previous.left_out.items():
        now = rendered.features.get(name)
        if now is not None and (now is feature or now == feature):
            kept[name] = (now, error)
    return kept


def _delta(
    rendered: Rendered, previous: Compiled
) -> tuple[Any, dict[str, str], dict[str, tuple[Any, str]], set[str]] | None:
    """`previous`'s engine brought to `rendered` by a delta, with what failed, what stays left
    out and the flags updated; None if the delta breaks the engine (compile it whole then)."""
    left_out = _still_left_out(rendered, previous)
    changes = _changes(rendered, previous, left_out=left_out)
    engine = previous.engine
    try:
        failed = engine.take_state({"events": changes}) if changes else dict(previous.failed)
    except Exception:
        # The engine swaps its state only once a delta compiled: it is unchanged.
        return None
    changed = {e["feature"]["name"] for e in changes if e["type"] == "feature-updated"}
    return engine, failed, left_out, changed


def compile_rendered(rendered: Rendered, *, previous: Compiled | None = None) -> Compiled:
    """Compile for evaluation; given the previous compilation of the same query, recompile only
    what changed (the engine applies the difference as a delta, swapping its state whole).

    A flag that breaks the engine is left out of it (so it is off in server-side evaluation);
    backend SDKs are still sent its body, to evaluate it themselves.
    """
    delta = _delta(rendered, previous) if previous is not None else None
    old_plan: dict[str, tuple[str, Any, bytes | None, bool]] = {}
    if delta is not None and previous is not None:
        engine, failed, left_out, changed = delta
        old_plan = {entry[0]: entry for entry in previous.plan}
    else:
        engine, failed, errors = compile_isolated(
            list(rendered.features.values()), rendered.segments
        )
        left_out = {name: (rendered.features[name], error) for name, error in errors.items()}
        changed = set()
    known = previous.failed if previous is not None else {}
    for name in failed.keys() - known.keys():
        reason = failed[name]
        log.warning("flag %r does not compile, evaluated off: %s", name, reason[:200])
    in_engine = (
        {name: feature for name, feature in rendered.features.items() if name not in left_out}
        if left_out
        else rendered.features
    )
    plan = []
    for name, feature in in_engine.items():
        old_entry = old_plan.get(name)
        # Same flag, and the engine kept its compiled predicate (no segment of it changed).
        if old_entry is not None and name not in changed:
            compiled_feature = engine.feature(name)
            if compiled_feature is not None and compiled_feature.fast is old_entry[1]:
                plan.append(old_entry)
                continue
        impression = bool(feature.get("impressionData"))
        compiled = engine.feature(name)
        fast = compiled.fast if compiled is not None else None
        static: bytes | None = None
        has_variants = bool(feature.get("variants")) or any(
            s.get("variants") for s in feature.get("strategies") or []
        )
        if compiled is not None and not has_variants:
            # Without variants anywhere, an enabled flag always answers the same variant.
            static = toggle_bytes(name, disabled_variant(feature_enabled=True), impression)
        plan.append((name, fast, static, impression))
    return Compiled(
        features=in_engine,
        engine=engine,
        plan=tuple(plan),
        segments=tuple(rendered.segments),
        failed=failed,
        left_out=left_out,
    )
