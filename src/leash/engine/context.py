"""Reading values out of an evaluation context.

A context is the SDK-shaped mapping ``{userId, sessionId, remoteAddress, environment,
appName, currentTime, properties: {...}}``. As in yggdrasil-engine 2.x, any name is read from
the top level first and from ``properties`` when the top level has no value, so
``{"tenant": "x"}`` and ``{"properties": {"tenant": "x"}}`` mean the same.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Final

Context = Mapping[str, Any]
Resolver = Callable[[Context], str | None]

STANDARD_FIELDS: Final = frozenset(
    {"userId", "sessionId", "remoteAddress", "environment", "appName", "currentTime"}
)


def stringify(value: Any) -> str:
    """Render a non-string context value the way the Python SDK does before evaluation."""
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def now_rfc3339() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def _lookup(key: str) -> Resolver:
    def resolve(ctx: Context) -> str | None:
        value = ctx.get(key)
        if value is None:
            props = ctx.get("properties")
            if not props:
                return None
            value = props.get(key)
            if value is None:
                return None
        if value.__class__ is str:
            return value
        return stringify(value)

    return resolve


def _current_time(ctx: Context) -> str | None:
    # The SDK always fills currentTime with "now" before the engine sees the context, so an
    # absent value means "now" for every operator, not only DATE_*.
    value = _raw_current_time(ctx)
    return now_rfc3339() if value is None else value


_raw_current_time: Final = _lookup("currentTime")


def resolver(context_name: str) -> Resolver:
    """A function returning the context value for ``context_name`` (``None`` if absent)."""
    if context_name == "currentTime":
        return _current_time
    return _lookup(context_name)


def raw_resolver(context_name: str) -> Resolver:
    """Like :func:`resolver` but without the "now" default for ``currentTime``.

    Variant overrides and variant stickiness read the raw context in yggdrasil.
    """
    return _lookup(context_name)


def normalize_context(context: Mapping[str, Any]) -> dict[str, Any]:
    """Give a loosely shaped context the shape the engine reads, as the Python SDK does.

    Unknown top-level fields move into ``properties`` (``properties`` wins on a clash), values
    become strings and ``None`` values are dropped. ``currentTime`` is left absent when absent:
    the engine treats that as "now".
    """
    out: dict[str, Any] = {}
    props: dict[str, str] = {}
    for key, value in context.items():
        if key == "properties" or value is None:
            continue
        if key in STANDARD_FIELDS:
            out[key] = value if isinstance(value, str) else stringify(value)
        else:
            props[key] = value if isinstance(value, str) else stringify(value)
    given = context.get("properties")
    if isinstance(given, Mapping):
        for key, value in given.items():
            if value is not None:
                props[str(key)] = value if isinstance(value, str) else stringify(value)
    out["properties"] = props
    return out
