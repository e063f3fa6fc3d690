"""Constraint rules shared by segments and feature strategies (Unleash's constraint schema)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson
import re2
from dateutil import parser as dateparser

from leash.engine import operators
from leash.errors import BadDataError
from leash.validation import Schema

# The engine's list of operators is the one source; the admin API accepts Unleash's.
OPERATORS = list(operators.UNLEASH)
MULTI_VALUE = frozenset((*operators.LIST, *operators.STRING))
NUM = frozenset(operators.NUMBER)
DATE = frozenset(operators.DATE)
SEMVER = frozenset(operators.SEMVER)
SINGLE_VALUE = NUM | DATE | SEMVER | {operators.REGEX}

CONSTRAINT_SCHEMA: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["contextName", "operator"],
    "properties": {
        "contextName": {"type": "string"},
        "operator": {"type": "string", "enum": OPERATORS},
        "caseInsensitive": {"type": "boolean"},
        "inverted": {"type": "boolean"},
        "values": {"type": "array", "items": {"type": "string"}},
        "value": {"type": "string", "minLength": 1},
    },
}

MAX_VALUE_LENGTH = 100

# RE2 (linear, and ASCII `\d` and end-only `$` as JavaScript reads Unleash's pattern).
_SEMVER = re2.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$"
)
# node-semver's limits, which Unleash 8.2's strict parse inherits: a version string of at most
# 256 characters whose major, minor and patch are safe JavaScript integers.
_SEMVER_MAX_LENGTH = 256
_MAX_SAFE_INTEGER = 2**53 - 1


def is_strict_semver(value: str) -> bool:
    """Unleash 8.2's parseStrictSemVer: canonical semver 2.0.0, build metadata allowed."""
    if len(value) > _SEMVER_MAX_LENGTH or not _SEMVER.match(value):
        return False
    core = value.split("-", 1)[0].split("+", 1)[0]
    return all(int(part) <= _MAX_SAFE_INTEGER for part in core.split("."))

# C++ RE2 words its errors differently from Go's regexp, whose messages Unleash returns.
_RE2_TO_GO = {
    "missing )": "missing closing )",
    "missing ]": "missing closing ]",
    "unexpected )": "unexpected )",
    "bad repetition operator": "invalid nested repetition operator",
    "no argument for repetition operator": "missing argument to repetition operator",
    "invalid perl operator": "invalid or unsupported Perl syntax",
    "invalid escape sequence": "invalid escape sequence",
    "invalid character class range": "invalid character class range",
    "invalid character class": "invalid character class",
    "invalid repetition size": "invalid repeat count",
    "invalid named capture group": "invalid named capture",
    "invalid UTF-8": "invalid UTF-8",
}

_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False


def joi_message(label: str, text: str, value: Any = None) -> str:
    """Joi's wording as Unleash returns it: the value is echoed only when JS-truthy."""
    truthy = value not in (None, "", 0, False) or isinstance(value, list | dict)
    if isinstance(value, bool):
        truthy = value
    suffix = f" You provided {orjson.dumps(value).decode()}." if truthy else ""
    return f'"{label}" {text}.{suffix}'


def _joi(label: str, text: str, value: Any = None) -> BadDataError:
    return BadDataError.many([{"message": joi_message(label, text, value)}], with_id=False)


def check_shape(constraints: Sequence[Mapping[str, Any]], *, label: str = "constraints") -> None:
    """The Joi schema's per-item rules: non-empty contextName, values of 1..100 characters."""
    for i, constraint in enumerate(constraints):
        if constraint.get("contextName") == "":
            raise _joi(f"{label}[{i}].contextName", "is not allowed to be empty")
        for j, item in enumerate(constraint.get("values") or []):
            where = f"{label}[{i}].values[{j}]"
            if item == "":
                raise _joi(where, "is not allowed to be empty")
            if len(item) > MAX_VALUE_LENGTH:
                raise _joi(
                    where,
                    f"length must be less than or equal to {MAX_VALUE_LENGTH} characters long",
                    item,
                )


def is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    if not isinstance(value, str) or not value.strip():
        return False
    try:
        float(value)
    except ValueError:
        return False
    return value.strip().lower() not in ("nan", "inf", "-inf", "+inf", "infinity", "-infinity")


def is_date(value: Any) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    if not isinstance(value, str) or not value.strip():
        return False
    if is_number(value):
        return True
    try:
        dateparser.isoparse(value)
        return True
    except (ValueError, OverflowError):
        pass
    try:
        dateparser.parse(value)
        return True
    except (ValueError, OverflowError):
        return False


def regex_error(pattern: str) -> str | None:
    try:
        re2.compile(pattern, _RE2_OPTIONS)
    except re2.error as error:
        raw = error.args[0] if error.args else b""
        text = raw.decode(errors="replace") if isinstance(raw, bytes) else str(raw)
        if text.startswith("trailing \\"):
            return "error parsing regexp: trailing backslash at end of expression: ``"
        code, _, argument = text.partition(": ")
        return f"error parsing regexp: {_RE2_TO_GO.get(code, code)}: `{argument}`"
    return None


def validate_constraint(
    constraint: Mapping[str, Any], *, legal_values: Mapping[str, list[str]]
) -> None:
    """The per-operator checks Unleash runs after schema validation (all 400 BadDataError)."""
    operator = constraint["operator"]
    value = constraint.get("value")
    values = constraint.get("values") or []
    if operator in SINGLE_VALUE and value in (None, ""):
        raise BadDataError.single("Single-value constraint operators require a non-empty value.")
    if operator in NUM and not is_number(value):
        raise _joi("value", "must be a number", value)
    if operator in MULTI_VALUE and not values:
        raise _joi("value", "must contain at least 1 items", values)
    if operator in SEMVER:
        if not isinstance(value, str):
            raise BadDataError.single("the provided value is not a string.")
        if not is_strict_semver(value):
            raise BadDataError.single(
                f"the provided value is not a valid semver format. The value provided was: {value}"
            )
    if operator in DATE and not is_date(value):
        raise _joi("value", "must be a valid date", value)
    if operator == operators.REGEX:
        if constraint.get("inverted"):
            raise BadDataError.single("REGEX operator cannot be inverted.")
        error = regex_error(str(value))
        if error is not None:
            raise BadDataError.single(
                f"the provided value is not a valid regex string. Error: {error}"
            )
    legal = legal_values.get(constraint["contextName"])
    if legal:
        if operator in MULTI_VALUE:
            if not all(item in legal for item in values):
                raise BadDataError.single(
                    "input values are not specified as a legal value on this context field"
                )
        elif value not in legal:
            raise BadDataError.single(
                f"{value} is not specified as a legal value on this context field"
            )


def normalise(constraint: Mapping[str, Any]) -> dict[str, Any]:
    """What Unleash stores: the constraint as sent, with `values` defaulting to []."""
    stored = dict(constraint)
    stored.setdefault("values", [])
    return stored


def values_count(constraints: Sequence[Mapping[str, Any]]) -> int:
    return sum(len(c.get("values") or []) for c in constraints)
