"""Compiling a state for server-side evaluation so that one flag that breaks the engine does not
break the others.

The engine compiles a whole state at once: a definition it cannot handle (an exception, not a
flag it compiles as "always off") would otherwise take every flag of the state down with it.
Here the state is compiled whole first (the usual, quick case); only when that raises are the
culprits searched for by halving, and the state compiled without them. Compiling one flag never
depends on another flag (only on its segments), which is what makes halving find them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from leash.engine import Engine

log = logging.getLogger("leash.snapshot")

T = TypeVar("T")


def error_name(error: BaseException) -> str:
    return type(error).__name__


def described(error: BaseException) -> str:
    """For logs: the error's class and the start of its message (which may quote a huge value)."""
    text = str(error)
    return f"{error_name(error)}: {text[:200]}{'...' if len(text) > 200 else ''}"


def _failing(items: Sequence[T], works: Callable[[Sequence[T]], bool]) -> list[T]:
    """The items that make `works` false, assuming each one fails or works on its own."""
    if not items or works(items):
        return []
    if len(items) == 1:
        return [items[0]]
    middle = len(items) // 2
    return _failing(items[:middle], works) + _failing(items[middle:], works)


def _segment_ids(feature: Mapping[str, Any]) -> set[Any]:
    return {
        sid
        for strategy in feature.get("strategies") or []
        if isinstance(strategy, Mapping)
        for sid in strategy.get("segments") or []
    }


def _compile(
    features: Sequence[Mapping[str, Any]],
    segments: Sequence[Mapping[str, Any]],
    *,
    skip_disabled: bool,
) -> tuple[Engine, dict[str, str]]:
    engine = Engine(skip_disabled=skip_disabled)
    failed = engine.take_state(
        {"version": 2, "features": list(features), "segments": list(segments)}
    )
    return engine, failed


def _needed(
    features: Sequence[Mapping[str, Any]], segments: Sequence[Mapping[str, Any]]
) -> Sequence[Mapping[str, Any]]:
    """The segments `features` use (all of them without features, to check the segments)."""
    if not features:
        return segments
    used: set[Any] = set()
    for feature in features:
        used |= _segment_ids(feature)
    return [segment for segment in segments if segment.get("id") in used]


def _compiles(
    features: Sequence[Mapping[str, Any]],
    segments: Sequence[Mapping[str, Any]],
    *,
    skip_disabled: bool,
) -> bool:
    try:
        _compile(features, _needed(features, segments), skip_disabled=skip_disabled)
    except Exception:
        return False
    return True


def compile_isolated(
    features: Sequence[Mapping[str, Any]],
    segments: Sequence[Mapping[str, Any]],
    *,
    skip_disabled: bool = False,
) -> tuple[Engine, dict[str, str], dict[str, str]]:
    """An engine holding every flag that compiles; returns it with the flags the engine compiled
    as always off (name -> its reason) and the flags left out of it (name -> error class).

    A segment that cannot be compiled is left out too: the flags using it then miss it, which
    the engine compiles as always off.
    """
    try:
        engine, failed = _compile(features, segments, skip_disabled=skip_disabled)
    except Exception as whole:
        log.warning(
            "compiling flags failed, isolating the flags that break it: %s", described(whole)
        )
    else:
        return engine, failed, {}
    bad_segments = _failing(segments, lambda some: _compiles((), some, skip_disabled=skip_disabled))
    bad_ids = {id(segment) for segment in bad_segments}
    kept_segments = [s for s in segments if id(s) not in bad_ids]
    for segment in bad_segments:
        log.warning("segment %r cannot be compiled, flags using it are off", segment.get("id"))
    bad_features = _failing(
        features, lambda some: _compiles(some, kept_segments, skip_disabled=skip_disabled)
    )
    left_out: dict[str, str] = {}
    for feature in bad_features:
        name = str(feature.get("name"))
        try:
            _compile([feature], _needed([feature], kept_segments), skip_disabled=skip_disabled)
        except Exception as error:
            left_out[name] = error_name(error)
            log.warning(
                "flag %r cannot be compiled, left out of server-side evaluation: %s",
                name,
                described(error),
            )
    bad = {id(feature) for feature in bad_features}
    kept = [f for f in features if id(f) not in bad]
    # Raises only if failures depend on each other after all: the rebuild then fails whole.
    engine, failed = _compile(kept, kept_segments, skip_disabled=skip_disabled)
    return engine, failed, left_out
