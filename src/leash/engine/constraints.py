"""Compiling constraints into predicates, once, when state is taken."""

from __future__ import annotations

import operator as op
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import re2  # google-re2: the REGEX operator is specified with RE2 syntax

from leash.engine.context import Context, Resolver, resolver
from leash.engine.errors import CompileError, quoted_value, rule_string
from leash.engine.operators import IN_CIDR, LIST, REGEX, STRING
from leash.engine.values import (
    Instant,
    SemverKey,
    context_instant,
    context_ip,
    context_number,
    context_semver,
    rule_ip_network,
    rule_ordinal_value,
)

Predicate = Callable[[Context], bool]

_EPSILON: Final = sys.float_info.epsilon

# The comparison each operator of operators.NUMBER, DATE and SEMVER makes.
_ORDINAL: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "NUM_EQ": op.eq,
    "NUM_GT": op.gt,
    "NUM_GTE": op.ge,
    "NUM_LT": op.lt,
    "NUM_LTE": op.le,
    "DATE_AFTER": op.gt,
    "DATE_BEFORE": op.lt,
    "SEMVER_EQ": op.eq,
    "SEMVER_GT": op.gt,
    "SEMVER_GTE": op.ge,
    "SEMVER_LT": op.lt,
    "SEMVER_LTE": op.le,
}


def _false(_: Context) -> bool:
    return False


def _true(_: Context) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class CompiledConstraint:
    context_name: str
    operator: str
    values: tuple[str, ...]
    value: str | None
    inverted: bool
    case_insensitive: bool
    resolve: Resolver
    predicate: Predicate
    error: str | None = None


def _str_list(raw: Any) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise CompileError("constraint values must be a list")
    return [v if isinstance(v, str) else str(v) for v in raw]


def _membership(get: Resolver, values: list[str], *, negate: bool) -> Predicate:
    if not values:
        # yggdrasil answers an empty list without looking at the context.
        return _true if negate else _false
    members = frozenset(values)
    if negate:

        def not_in(ctx: Context) -> bool:
            v = get(ctx)
            return v is None or v not in members

        return not_in

    def is_in(ctx: Context) -> bool:
        v = get(ctx)
        return v is not None and v in members

    return is_in


def _string_op(get: Resolver, name: str, values: list[str], *, fold: bool) -> Predicate:
    if not values:
        raise CompileError(f"{name} needs at least one value")
    items = tuple(v.lower() for v in values) if fold else tuple(values)
    if name == "STR_CONTAINS":

        def contains(ctx: Context) -> bool:
            v = get(ctx)
            if v is None:
                return False
            if fold:
                v = v.lower()
            return any(item in v for item in items)

        return contains
    method = str.startswith if name == "STR_STARTS_WITH" else str.endswith

    def affix(ctx: Context) -> bool:
        v = get(ctx)
        if v is None:
            return False
        return method(v.lower() if fold else v, items)

    return affix


def _regex(get: Resolver, pattern: str, *, fold: bool) -> Predicate:
    options = re2.Options()
    options.log_errors = False
    options.never_capture = True
    options.case_sensitive = not fold
    try:
        search = re2.compile(pattern, options).search
    except re2.error:
        # An invalid pattern makes the constraint false, not the flag: inverted it is true.
        return _false

    def matches(ctx: Context) -> bool:
        v = get(ctx)
        return v is not None and search(v) is not None

    return matches


def _cidr(get: Resolver, values: list[str]) -> Predicate:
    if not values:
        raise CompileError("IN_CIDR needs at least one value")
    nets = tuple(n for n in (rule_ip_network(v) for v in values) if n is not None)

    def in_cidr(ctx: Context) -> bool:
        v = get(ctx)
        if v is None:
            return False
        ip = context_ip(v)
        return ip is not None and any(ip in net for net in nets)

    return in_cidr


def _ordinal(get: Resolver, name: str, raw: Any) -> Predicate:
    if not isinstance(raw, str):
        raise CompileError(f"{name} needs a single 'value'")
    compare = _ORDINAL[name]
    kind, target = rule_ordinal_value(raw)
    if kind == "number":
        assert isinstance(target, float)
        number = target
        if compare is op.eq:

            def num_eq(ctx: Context) -> bool:
                v = get(ctx)
                n = None if v is None else context_number(v)
                return n is not None and abs(n - number) < _EPSILON

            return num_eq

        def num_cmp(ctx: Context) -> bool:
            v = get(ctx)
            n = None if v is None else context_number(v)
            return n is not None and compare(n, number)

        return num_cmp
    if kind == "date":
        instant: Instant = target  # type: ignore[assignment]

        def date_cmp(ctx: Context) -> bool:
            v = get(ctx)
            t = None if v is None else context_instant(v)
            return t is not None and compare(t, instant)

        return date_cmp
    version: SemverKey = target  # type: ignore[assignment]

    def semver_cmp(ctx: Context) -> bool:
        v = get(ctx)
        parsed = None if v is None else context_semver(v)
        # the keys order by precedence and leave out build metadata, as yggdrasil compares
        return parsed is not None and compare(parsed, version)

    return semver_cmp


def _build(get: Resolver, name: str, raw: Mapping[str, Any], *, fold: bool) -> Predicate:
    if name in LIST:
        values = [quoted_value(v, what="value") for v in _str_list(raw.get("values"))]
        return _membership(get, values, negate=name == "NOT_IN")
    if name in STRING:
        values = [quoted_value(v, what="value") for v in _str_list(raw.get("values"))]
        return _string_op(get, name, values, fold=fold)
    if name == REGEX:
        pattern = raw.get("value")
        pattern = quoted_value(pattern if isinstance(pattern, str) else "", what="pattern")
        return _regex(get, pattern, fold=fold)
    if name == IN_CIDR:
        values = [quoted_value(v, what="value") for v in _str_list(raw.get("values"))]
        return _cidr(get, values)
    if name in _ORDINAL:
        return _ordinal(get, name, raw.get("value"))
    raise CompileError(f"unknown operator {name!r}")


def compile_constraint(raw: Any) -> CompiledConstraint:
    """Compile one constraint; on failure the result carries ``error`` and is always false.

    Nothing a constraint holds makes this raise: a shape the engine did not foresee fails
    this constraint (and so its flag), never the state around it.
    """
    try:
        return _compile_constraint(raw)
    except CompileError as exc:
        return _broken(str(exc))
    except Exception as exc:  # whatever it is, it stays in this one definition
        return _broken(failure(exc))


def _broken(reason: str) -> CompiledConstraint:
    return CompiledConstraint("", "", (), None, False, False, _none, _false, reason)


def failure(exc: Exception) -> str:
    """The reason reported for an unforeseen error, short enough for a log line."""
    text = f"cannot be compiled: {type(exc).__name__}: {exc}"
    return text if len(text) <= 200 else text[:199] + "…"


def _compile_constraint(raw: Any) -> CompiledConstraint:
    if not isinstance(raw, Mapping):
        raise CompileError("a constraint must be an object")
    context_name = raw.get("contextName")
    name = raw.get("operator")
    inverted = raw.get("inverted") is True
    fold = raw.get("caseInsensitive") is True
    values_raw = raw.get("values")
    values = tuple(str(v) for v in values_raw) if isinstance(values_raw, list) else ()
    value = raw.get("value") if isinstance(raw.get("value"), str) else None
    get: Resolver = _none
    try:
        if not isinstance(context_name, str):
            raise CompileError("constraint has no contextName")
        if not isinstance(name, str):
            raise CompileError("constraint has no operator")
        # checked for the rule text, but looked up as given (yggdrasil does not unescape)
        rule_string(context_name, what="context name")
        get = resolver(context_name)
        if name.startswith("SEMVER_") and name in _ORDINAL and (value or "").startswith("v"):
            # yggdrasil turns a "v"-prefixed version into a constant false, which inversion
            # does not flip.
            return CompiledConstraint(
                context_name, name, values, value, inverted, fold, get, _false
            )
        predicate = _build(get, name, raw, fold=fold)
    except CompileError as exc:
        return CompiledConstraint(
            str(context_name), str(name), values, value, inverted, fold, get, _false, str(exc)
        )
    if inverted:
        predicate = _invert(predicate)
    return CompiledConstraint(context_name, name, values, value, inverted, fold, get, predicate)


def _none(_: Context) -> str | None:
    return None


def _invert(predicate: Predicate) -> Predicate:
    if predicate is _true:
        return _false
    if predicate is _false:
        return _true

    def inverted(ctx: Context) -> bool:
        return not predicate(ctx)

    return inverted
