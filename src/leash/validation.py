"""Request validation with the exact semantics and messages of Unleash's OpenAPI layer.

Unleash validates bodies with ajv (`coerceTypes: true`, first error only) against its
OpenAPI schemas and words the first error in its own way. Our schemas are plain JSON-schema
dicts (the same ones /docs/openapi.json publishes); this module walks them the same way.

Recursion follows the schema, never the value: a value nested deeper than its schema is
walked only by the iterative helpers here (js_stringify, nesting_depth).
"""

from __future__ import annotations

import math
from typing import Any, Final

import orjson
import re2

from leash import formats
from leash.engine.context import js_number as engine_js_number
from leash.errors import BadDataError

Schema = dict[str, Any]

_MISSING = object()

# What an Integer column holds on PostgreSQL (SQLite's hold 64 bits): every integer a request
# can carry into a 32-bit column is declared with these bounds.
INT32_MIN: Final = -(2**31)
INT32_MAX: Final = 2**31 - 1
INT64_MIN: Final = -(2**63)
INT64_MAX: Final = 2**63 - 1
INT32: Final[Schema] = {"type": "integer", "minimum": INT32_MIN, "maximum": INT32_MAX}

# A string the schema says is a date-time leash stores: ajv's format, then leash's bounds.
STORED_DATE_TIME: Final = "x-leash-stored"


def fits_int32(value: int | float) -> bool:
    """Plain comparisons: `x in range(...)` scans the range when x is a float."""
    return INT32_MIN <= value <= INT32_MAX


class _Invalid(Exception):
    def __init__(self, *details: dict[str, str]) -> None:
        super().__init__(details[0]["message"])
        self.details = list(details)


def validate(value: Any, schema: Schema, *, root: str = "/body") -> Any:
    """Return `value` coerced to `schema`, or raise BadDataError describing the first problem."""
    try:
        return _check(value, schema, root)
    except _Invalid as invalid:
        raise BadDataError.many(invalid.details, with_id=True) from None


def js_number(value: int | float) -> str:
    """JavaScript's String(number) of a JSON number: integers are doubles there too, so
    12345678901234567891 reads 12345678901234567000, and 1e400 Infinity."""
    if isinstance(value, int):
        try:
            value = float(value)
        except OverflowError:
            return "Infinity" if value > 0 else "-Infinity"
    return engine_js_number(value)


class _Raw(str):
    """Already-rendered JSON text on js_stringify's stack."""


def js_stringify(value: Any) -> str:
    """JSON.stringify(value), iteratively: a body may nest deeper than Python recursion allows."""
    parts: list[str] = []
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, _Raw):
            parts.append(item)
        elif isinstance(item, dict):
            entries = list(item.items())
            stack.append(_Raw("}"))
            for index in range(len(entries) - 1, -1, -1):
                key, child = entries[index]
                stack.append(child)
                stack.append(_Raw(("," if index else "") + orjson.dumps(str(key)).decode() + ":"))
            parts.append("{")
        elif isinstance(item, list):
            stack.append(_Raw("]"))
            for index in range(len(item) - 1, -1, -1):
                stack.append(item[index])
                if index:
                    stack.append(_Raw(","))
            parts.append("[")
        elif isinstance(item, bool) or item is None:
            parts.append(orjson.dumps(item).decode())
        elif isinstance(item, int | float):
            parts.append(js_number(item) if math.isfinite(item) else "null")
        else:
            parts.append(orjson.dumps(str(item)).decode())
    return "".join(parts)


def nesting_depth(value: Any, *, limit: int) -> int:
    """How deeply arrays and objects nest in `value`, counted up to `limit + 1`."""
    deepest = 0
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if deepest > limit:
                return deepest
            children = item.values() if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)
    return deepest


def _generic(path: str, value: Any, message: str) -> _Invalid:
    return _Invalid(
        {
            "message": f"The `{path}` property {message}. You sent {js_stringify(value)}.",
            "path": path,
        }
    )


def _types(schema: Schema) -> list[str]:
    declared = schema.get("type")
    if declared is None:
        return []
    types = [declared] if isinstance(declared, str) else list(declared)
    if schema.get("nullable"):
        types.append("null")
    return types


def _matches(value: Any, kind: str) -> bool:
    if kind == "null":
        return value is None
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "string":
        return isinstance(value, str)
    if kind == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, float) and value.is_integer()
        )
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    return True


def _coerce(value: Any, kind: str) -> Any:
    """ajv's coerceTypes for scalars; returns _MISSING when no coercion applies."""
    if kind == "string":
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return js_number(value)
        if value is None:
            return ""
    elif kind in ("number", "integer"):
        if isinstance(value, bool):
            return int(value)
        if value is None:
            return 0
        if isinstance(value, str) and value.strip() == value and value:
            try:
                number = float(value)
            except ValueError:
                return _MISSING
            if math.isfinite(number):
                if kind == "integer" and not number.is_integer():
                    return _MISSING
                return int(number) if number.is_integer() else number
    elif kind == "boolean":
        if value in ("true", "false"):
            return value == "true"
        if value is None:
            return False
        if isinstance(value, int | float) and not isinstance(value, bool) and value in (0, 1):
            return bool(value)
    elif (
        kind == "null"
        and value in ("", 0, False)
        and not (isinstance(value, bool) and value is not False)
    ):
        return None
    return _MISSING


_ONE_OF_MESSAGE: Final = (
    "must match exactly one schema in oneOf. The data you provided matches more than one "
    "option in the schema. These options are mutually exclusive. Please refer back to the "
    "schema and remove any excess properties."
)


def _check_choice(value: Any, schema: Schema, path: str, keyword: str) -> Any:
    """oneOf / anyOf as ajv: every branch is tried; the first error of each failing branch,
    then the keyword's own error, is what a failure reports."""
    passed: list[Any] = []
    details: list[dict[str, str]] = []
    for branch in schema[keyword]:
        try:
            passed.append(_check(value, branch, path))
        except _Invalid as invalid:
            details.extend(invalid.details)
    if keyword == "anyOf" and passed:
        return passed[0]
    if keyword == "oneOf" and len(passed) == 1:
        return passed[0]
    if keyword == "oneOf":
        last = {"message": f'The "{path}" property {_ONE_OF_MESSAGE}', "path": path}
    else:
        last = _generic(path, value, "must match a schema in anyOf").details[0]
    raise _Invalid(*details, last)


_PATTERNS: dict[str, Any] = {}


def _pattern(text: str) -> Any:
    """RE2, linear in the input; schemas hold few patterns, so each is compiled once."""
    compiled = _PATTERNS.get(text)
    if compiled is None:
        compiled = _PATTERNS.setdefault(text, re2.compile(text))
    return compiled


def _check_string(value: str, schema: Schema, path: str) -> None:
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        raise _generic(path, value, f"must NOT have more than {schema['maxLength']} characters")
    if "minLength" in schema and len(value) < schema["minLength"]:
        # ajv says "characters" whatever the limit.
        raise _generic(path, value, f"must NOT have fewer than {schema['minLength']} characters")
    if "pattern" in schema and _pattern(schema["pattern"]).search(value) is None:
        raise _generic(path, value, f'must match pattern "{schema["pattern"]}"')
    name = schema.get("format")
    check = formats.FORMATS.get(name) if isinstance(name, str) else None
    if check is not None and not check(value):
        raise _generic(path, value, f'must match format "{name}"')
    if schema.get(STORED_DATE_TIME) and formats.to_datetime(value) is None:
        raise _generic(path, value, formats.STORABLE_DATE_TIME)


def _check_number(value: int | float, schema: Schema, path: str) -> None:
    if "maximum" in schema and value > schema["maximum"]:
        raise _generic(path, value, f"must be <= {js_number(schema['maximum'])}")
    if "minimum" in schema and value < schema["minimum"]:
        raise _generic(path, value, f"must be >= {js_number(schema['minimum'])}")


def _check(value: Any, schema: Schema, path: str) -> Any:
    types = _types(schema)
    if types and not any(_matches(value, kind) for kind in types):
        for kind in types:
            coerced = _coerce(value, kind)
            if coerced is not _MISSING:
                value = coerced
                break
        else:
            raise _generic(path, value, f"must be {','.join(t for t in types)}")
    if value is None:
        return None
    if "enum" in schema and value not in schema["enum"]:
        allowed = ", ".join(f'"{v}"' for v in schema["enum"])
        name = path.rsplit("/", 1)[-1]
        message = (
            f"The `{name}` property must be equal to one of the allowed values: {allowed}. "
            f'You provided "{value}", which is not valid. Please use one of the allowed values '
            "instead.."
        )
        raise _Invalid({"message": message, "path": name})
    for keyword in ("anyOf", "oneOf"):
        if keyword in schema:
            value = _check_choice(value, schema, path, keyword)
    if isinstance(value, int | float) and not isinstance(value, bool):
        _check_number(value, schema, path)
        if isinstance(value, float) and "integer" in types and value.is_integer():
            # 1.0 is the integer 1 to ajv; every caller gets a Python int.
            value = int(value)
    if isinstance(value, str):
        _check_string(value, schema, path)
    if isinstance(value, dict):
        return _check_object(value, schema, path)
    if isinstance(value, list) and "items" in schema:
        return [_check(item, schema["items"], f"{path}/{i}") for i, item in enumerate(value)]
    return value


def _check_object(value: dict[str, Any], schema: Schema, path: str) -> dict[str, Any]:
    properties: dict[str, Schema] = schema.get("properties", {})
    for name in schema.get("required", []):
        if name not in value:
            where = f"{path}/{name}"
            raise _Invalid(
                {
                    "path": where,
                    "message": f"The `{where}` property is required. "
                    "It was not present on the data you sent.",
                }
            )
    additional = schema.get("additionalProperties", True)
    if additional is False:
        for name in value:
            if name not in properties:
                where = f"{path}/{name}"
                raise _Invalid(
                    {
                        "path": where,
                        "message": f"The `{path}` object of the request body does not allow "
                        f"additional properties. Your request included the `{where}` property.",
                    }
                )
    result = dict(value)
    for name, sub in properties.items():
        if name in value:
            result[name] = _check(value[name], sub, f"{path}/{name}")
    if isinstance(additional, dict):
        for name in value:
            if name not in properties:
                result[name] = _check(value[name], additional, f"{path}/{name}")
    return result


def check_query_value(value: str, schema: Schema, *, name: str) -> None:
    """One query parameter's value against its declared schema (a string's pattern: query
    values are strings; leash.api.operation.QUERY_KEYWORDS). Unleash quotes the value as sent
    here, without JSON's escapes."""
    pattern = schema.get("pattern")
    if pattern is not None and _pattern(pattern).search(value) is None:
        where = f"/query/{name}"
        message = f'The `{where}` property must match pattern "{pattern}". You sent "{value}".'
        raise BadDataError.many([{"message": message, "path": where}])


def parse_int_param(raw: str, *, name: str) -> int:
    """Path ids are integers in Unleash's OpenAPI; anything else is a 400 like ajv's."""
    value = _coerce(raw, "integer")
    if value is _MISSING or not isinstance(value, int):
        raise BadDataError.many(_generic(f"/params/{name}", raw, "must be integer").details)
    return value
