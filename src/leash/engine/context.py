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


_EXACT_INTEGERS: Final = 2**53


def js_number(value: float) -> str:
    """JavaScript's Number#toString: shortest round-trip digits, exponent only below 1e-6 or
    from 1e21 (Python's repr has the same digits, and switches at other exponents)."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    mantissa, _, exponent = repr(abs(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    written = whole + fraction
    digits = written.lstrip("0")
    # the value is 0.<digits> * 10**point
    point = len(whole) + (int(exponent) if exponent else 0) - (len(written) - len(digits))
    digits = digits.rstrip("0")
    if len(digits) <= point <= 21:
        return sign + digits + "0" * (point - len(digits))
    if 0 < point <= 21:
        return sign + digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return sign + "0." + "0" * -point + digits
    power = point - 1
    shown = digits if len(digits) == 1 else digits[0] + "." + digits[1:]
    return f"{sign}{shown}e{'+' if power >= 0 else '-'}{abs(power)}"


def _js_big_integer(value: int) -> str:
    # JavaScript holds every number as a double
    try:
        return js_number(float(value))
    except OverflowError:
        return "Infinity" if value > 0 else "-Infinity"


def js_string(value: Any) -> str:
    """JavaScript's String(value) for a JSON value, as Unleash turns a non-string context
    field into a property: arrays joined with commas (null in them as ""), objects
    "[object Object]", numbers as JavaScript writes them.

    Iterative: orjson accepts 1,024 levels of arrays, deeper than Python's recursion limit.
    """
    out: list[str] = []
    # a stack of items still to write; a "," marker separates array elements
    pending: list[Any] = [value]
    separator = object()
    while pending:
        item = pending.pop()
        if item is separator:
            out.append(",")
        elif isinstance(item, str):
            out.append(item)
        elif item is None:
            # String(null) is "null", but an array writes its nulls as ""
            out.append("null" if item is value else "")
        elif isinstance(item, bool):
            out.append("true" if item else "false")
        elif isinstance(item, int):
            out.append(str(item) if abs(item) <= _EXACT_INTEGERS else _js_big_integer(item))
        elif isinstance(item, float):
            out.append(js_number(item))
        elif isinstance(item, list):
            for index in range(len(item) - 1, -1, -1):
                pending.append(item[index])
                if index:
                    pending.append(separator)
        else:
            out.append("[object Object]")
    return "".join(out)


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
