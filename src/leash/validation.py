"""Request validation with the exact semantics and messages of Unleash's OpenAPI layer.

Unleash validates bodies with ajv (`coerceTypes: true`, first error only) against its
OpenAPI schemas and words the first error in its own way. Our schemas are plain JSON-schema
dicts (the same ones /docs/openapi.json publishes); this module walks them the same way.
"""

from __future__ import annotations

import math
from typing import Any

import orjson

from leash.errors import BadDataError

Schema = dict[str, Any]

_MISSING = object()


class _Invalid(Exception):
    def __init__(self, detail: dict[str, str]) -> None:
        super().__init__(detail["message"])
        self.detail = detail


def validate(value: Any, schema: Schema, *, root: str = "/body") -> Any:
    """Return `value` coerced to `schema`, or raise BadDataError describing the first problem."""
    try:
        return _check(value, schema, root)
    except _Invalid as invalid:
        raise BadDataError.many([invalid.detail], with_id=True) from None


def _js(value: Any) -> str:
    return orjson.dumps(value).decode()


def _generic(path: str, value: Any, message: str) -> _Invalid:
    return _Invalid(
        {"message": f"The `{path}` property {message}. You sent {_js(value)}.", "path": path}
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
            return _js_number(value)
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


def _js_number(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


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
    if isinstance(value, str):
        if "minLength" in schema and len(value) < schema["minLength"]:
            limit = schema["minLength"]
            # ajv says "characters" whatever the limit.
            raise _generic(path, value, f"must NOT have fewer than {limit} characters")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            limit = schema["maxLength"]
            raise _generic(path, value, f"must NOT have more than {limit} characters")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            raise _generic(path, value, f"must be >= {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            raise _generic(path, value, f"must be <= {schema['maximum']}")
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


def parse_int_param(raw: str, *, name: str) -> int:
    """Path ids are integers in Unleash's OpenAPI; anything else is a 400 like ajv's."""
    value = _coerce(raw, "integer")
    if value is _MISSING or not isinstance(value, int):
        raise BadDataError.many([_generic(f"/params/{name}", raw, "must be integer").detail])
    return value
