"""Unleash's variantsArraySchema (Joi) and fixVariantWeights, for a flag environment's variants.

PUT bodies pass the OpenAPI schema first; a PATCH result and the batch body reach only these
rules, so they check every key the Joi schema knows, in its order, and stop at the first error.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import orjson

from leash import constraint_rules
from leash.errors import BadDataError

NAME_MAX_LENGTH = 100
WEIGHT_MAX = 1000


def _joi(label: str, text: str, value: Any = None) -> BadDataError:
    return BadDataError.many(
        [{"message": constraint_rules.joi_message(label, text, value)}], with_id=False
    )


def _custom(message: str, value: Any) -> BadDataError:
    shown = f" You provided {orjson.dumps(value).decode()}." if value not in (None, "") else ""
    return BadDataError.many([{"message": f"{message}.{shown}"}], with_id=False)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_string(label: str, value: Any, *, required: bool) -> None:
    if value is None:
        if required:
            raise _joi(label, "is required")
        return
    if not isinstance(value, str):
        raise _joi(label, "must be a string", value)


def _check_name(label: str, value: Any) -> None:
    _check_string(label, value, required=True)
    if value == "":
        raise _joi(label, "is not allowed to be empty")
    if quote(value, safe="-_.!~*'()") != value or value in (".", ".."):
        raise _joi(label, "must be URL friendly", value)
    if len(value) > NAME_MAX_LENGTH:
        raise _joi(
            label, f"length must be less than or equal to {NAME_MAX_LENGTH} characters long", value
        )


def _check_weight(label: str, value: Any) -> None:
    if value is None:
        raise _joi(label, "is required")
    if not _is_number(value):
        raise _joi(label, "must be a number", value)
    if not float(value).is_integer():
        raise _custom("Weight only supports 1 decimal", value)
    if value < 0:
        raise _joi(label, "must be greater than or equal to 0", value)
    if value > WEIGHT_MAX:
        raise _joi(label, f"must be less than or equal to {WEIGHT_MAX}", value)


def _json_object(text: str) -> bool:
    try:
        parsed = orjson.loads(text)
    except orjson.JSONDecodeError:
        return False
    return isinstance(parsed, dict | list)


def _check_payload(label: str, payload: Any) -> None:
    if payload is None:
        return
    if not isinstance(payload, dict):
        raise _joi(label, "must be of type object", payload)
    _check_string(f"{label}.type", payload.get("type"), required=True)
    value = payload.get("value")
    _check_string(f"{label}.value", value, required=True)
    if value == "":
        raise _joi(f"{label}.value", "is not allowed to be empty")
    if payload["type"] == "json" and not _json_object(str(value)):
        raise _custom("'value' must be a valid json string when 'type' is json", value)
    for key in payload:
        if key not in ("type", "value"):
            raise _joi(f"{label}.{key}", "is not allowed", payload[key])


def _check_overrides(label: str, overrides: Any) -> None:
    if overrides is None:
        return
    if not isinstance(overrides, list):
        raise _joi(label, "must be an array", overrides)
    for i, override in enumerate(overrides):
        where = f"{label}[{i}]"
        if not isinstance(override, dict):
            raise _joi(where, "must be of type object", override)
        _check_string(f"{where}.contextName", override.get("contextName"), required=True)
        values = override.get("values")
        if values is not None:
            if not isinstance(values, list):
                raise _joi(f"{where}.values", "must be an array", values)
            for j, item in enumerate(values):
                _check_string(f"{where}.values[{j}]", item, required=False)
        for key in override:
            if key not in ("contextName", "values"):
                raise _joi(f"{where}.{key}", "is not allowed", override[key])


_KEYS = ("name", "weight", "weightType", "payload", "stickiness", "overrides")


def _with_defaults(variant: dict[str, Any]) -> dict[str, Any]:
    shown = dict(variant)
    shown.setdefault("weightType", "variable")
    shown.setdefault("stickiness", "default")
    return shown


def check(variants: Any) -> None:
    """Joi's variantsArraySchema: the first error, in Unleash's words (400)."""
    if not isinstance(variants, list):
        raise _joi("value", "must be an array", variants)
    for i, variant in enumerate(variants):
        label = f"[{i}]"
        if not isinstance(variant, dict):
            raise _joi(label, "must be of type object", variant)
        _check_name(f"{label}.name", variant.get("name"))
        _check_weight(f"{label}.weight", variant.get("weight"))
        weight_type = variant.get("weightType")
        if weight_type is not None and weight_type not in ("variable", "fix"):
            raise _joi(f"{label}.weightType", "must be one of [variable, fix]", weight_type)
        _check_payload(f"{label}.payload", variant.get("payload"))
        _check_string(f"{label}.stickiness", variant.get("stickiness"), required=False)
        _check_overrides(f"{label}.overrides", variant.get("overrides"))
        for key in variant:
            if key not in _KEYS:
                raise _joi(f"{label}.{key}", "is not allowed", variant[key])
    seen: set[str] = set()
    for i, variant in enumerate(variants):
        if variant["name"] in seen:
            raise _joi(f"[{i}]", "contains a duplicate value", _with_defaults(variant))
        seen.add(variant["name"])


def fix_weights(variants: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Unleash's fixVariantWeights: variable variants share what the fixed ones leave.

    As Unleash, a variant without a weightType is neither variable nor fixed and is dropped;
    the result is sorted by name. The given dicts get their new weights too (Unleash's batch
    answer shows them so)."""
    variable = [v for v in variants if v.get("weightType") == "variable"]
    if variants and not variable:
        raise BadDataError.single('There must be at least one "variable" variant')
    fixed = [v for v in variants if v.get("weightType") == "fix"]
    fixed_weight = sum(int(v["weight"]) for v in fixed)
    if fixed_weight > WEIGHT_MAX:
        raise BadDataError.single("The traffic distribution total must equal 100%")
    if not variable:
        return []
    share, remainder = divmod(WEIGHT_MAX - fixed_weight, len(variable))
    for variant in variable:
        variant["weight"] = share + (1 if remainder > 0 else 0)
        remainder -= 1 if remainder > 0 else 0
    for variant in fixed:
        variant["weight"] = int(variant["weight"])
    return sorted([*variable, *fixed], key=lambda v: (str(v["name"]).lower(), str(v["name"])))
