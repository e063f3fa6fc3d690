"""Unleash's Joi rules for a context field (contextSchema, legalValueSchema, nameType).

They run after the OpenAPI schema (leash.validation, which has coerced the types already) and
answer the first broken rule, in Joi's order: the keys in the schema's order, a list's items
before its uniqueness. What Joi hands on is kept too: the keys it knows, in the order sent, a
missing `stickiness` added as false; Unleash's events carry exactly that.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from leash import constraint_rules
from leash.errors import BadDataError

NAME_MAX = 100
DESCRIPTION_MAX = 250
VALUE_MAX = 100
_CONTEXT_KEYS = ("name", "description", "legalValues", "stickiness", "project")


def _joi(label: str, text: str, value: Any = None) -> BadDataError:
    message = constraint_rules.joi_message(label, text, value)
    return BadDataError.many([{"message": message}], with_id=False)


def _too_long(label: str, limit: int, value: str) -> BadDataError:
    return _joi(label, f"length must be less than or equal to {limit} characters long", value)


def _url_friendly(name: str) -> bool:
    # encodeURIComponent leaves exactly these characters alone.
    return quote(name, safe="-_.!~*'()") == name and name not in (".", "..")


def check_name(name: str) -> None:
    """Unleash's nameType: not empty, URL friendly, at most 100 characters."""
    if name == "":
        raise _joi("name", "is not allowed to be empty")
    if not _url_friendly(name):
        raise _joi("name", "must be URL friendly", name)
    if len(name) > NAME_MAX:
        raise _too_long("name", NAME_MAX, name)


def legal_value(item: Mapping[str, Any], *, label: str = "") -> dict[str, Any]:
    """legalValueSchema: a value of 1 to 100 characters, any description."""
    value = item["value"]
    if value == "":
        raise _joi(f"{label}value", "is not allowed to be empty")
    if len(value) > VALUE_MAX:
        raise _too_long(f"{label}value", VALUE_MAX, value)
    return {key: item[key] for key in item if key in ("value", "description")}


def context_field(body: Mapping[str, Any]) -> dict[str, Any]:
    """contextSchema: the field as Joi hands it on (unknown keys, `sortOrder` among them,
    dropped), or the first broken rule."""
    check_name(body["name"])
    description = body.get("description")
    if isinstance(description, str) and len(description) > DESCRIPTION_MAX:
        raise _too_long("description", DESCRIPTION_MAX, description)
    values = body.get("legalValues")
    checked: list[dict[str, Any]] | None = None
    if values is not None:
        checked = [legal_value(item, label=f"legalValues[{i}].") for i, item in enumerate(values)]
        seen: set[str] = set()
        for i, item in enumerate(checked):
            if item["value"] in seen:
                raise _joi(f"legalValues[{i}]", "contains a duplicate value", item)
            seen.add(item["value"])
    if body.get("project") == "":
        raise _joi("project", "is not allowed to be empty")
    result: dict[str, Any] = {}
    for key in body:
        if key in _CONTEXT_KEYS:
            result[key] = checked if key == "legalValues" else body[key]
    result.setdefault("stickiness", False)
    return result
