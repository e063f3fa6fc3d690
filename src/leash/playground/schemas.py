"""The playground request: Unleash's playgroundRequestSchema, checked with ajv's wording.

leash.validation has no oneOf and no formats, so `projects` (an array or "*") and
`context.currentTime` (date-time) are checked here, in the order ajv reaches them.
"""

from __future__ import annotations

import re
from calendar import monthrange
from typing import Any, Final

import orjson

from leash.errors import BadDataError
from leash.validation import Schema, validate

ALL_PROJECTS: Final = "*"

SDK_CONTEXT: Final[Schema] = {
    "type": "object",
    "required": ["appName"],
    "additionalProperties": True,
    "properties": {
        "appName": {"type": "string", "minLength": 1},
        "currentTime": {"type": "string", "format": "date-time"},
        "environment": {"type": "string", "deprecated": True},
        "properties": {"type": "object", "additionalProperties": {"type": "string"}},
        "remoteAddress": {"type": "string"},
        "sessionId": {"type": "string"},
        "userId": {"type": "string"},
    },
}

PLAYGROUND_REQUEST: Final[Schema] = {
    "type": "object",
    "required": ["environment", "context"],
    "properties": {
        "environment": {"type": "string", "example": "development"},
        "projects": {
            "oneOf": [
                {"type": "array", "items": {"type": "string"}},
                {"type": "string", "enum": [ALL_PROJECTS]},
            ]
        },
        "context": SDK_CONTEXT,
    },
}

_TOP: Final[Schema] = {
    "type": "object",
    "required": ["environment", "context"],
    "properties": {"environment": {"type": "string"}},
}
# ajv reaches appName and currentTime before the other context properties; their minLength is
# checked here too, in ajv's order.
_CONTEXT_HEAD: Final[Schema] = {
    "type": "object",
    "required": ["appName"],
    "properties": {"appName": {"type": "string"}, "currentTime": {"type": "string"}},
}
_CONTEXT_REST: Final[Schema] = {
    "type": "object",
    "properties": {
        name: sub
        for name, sub in SDK_CONTEXT["properties"].items()
        if name not in ("appName", "currentTime")
    },
}

_DATE_TIME: Final = re.compile(
    r"^(\d{4})-(\d\d)-(\d\d)[t\s](\d\d):(\d\d):(\d\d)(?:\.\d+)?(z|[+-](\d\d)(?::?(\d\d))?)?$",
    re.IGNORECASE,
)

_ONE_OF: Final = (
    'The "/body/projects" property must match exactly one schema in oneOf. The data you '
    "provided matches more than one option in the schema. These options are mutually "
    "exclusive. Please refer back to the schema and remove any excess properties."
)


def _json(value: Any) -> str:
    return orjson.dumps(value).decode()


def _js_number(value: int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _as_string(value: Any) -> str | None:
    """ajv's coercion to string; None when the value cannot be coerced (objects, arrays)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _js_number(value)
    if value is None:
        return ""
    return None


def _js_string(value: Any) -> str:
    """JavaScript's String(value), which ajv's enum message prints."""
    if isinstance(value, list):
        return ",".join("" if item is None else _js_string(item) for item in value)
    if isinstance(value, dict):
        return "[object Object]"
    text = _as_string(value)
    return "null" if value is None else (text if text is not None else str(value))


def is_date_time(text: str) -> bool:
    """ajv-formats' full date-time: a real calendar date and time, the zone optional."""
    match = _DATE_TIME.match(text)
    if match is None:
        return False
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    if not 1 <= month <= 12 or not 1 <= day <= monthrange(year, month)[1]:
        return False
    if hour <= 23 and minute <= 59 and second <= 59:
        return True
    if second != 60 or hour > 23 or minute > 59:
        return False
    # a leap second is only valid at 23:59:60 UTC
    zone = (match.group(7) or "z").lower()
    local = hour * 60 + minute
    if zone != "z":
        offset = int(match.group(8)) * 60 + int(match.group(9) or 0)
        local += -offset if zone[0] == "+" else offset
    return local % (24 * 60) == 23 * 60 + 59


def _must_be(path: str, kind: str, value: Any) -> dict[str, str]:
    message = f"The `{path}` property must be {kind}. You sent {_json(value)}."
    return {"message": message, "path": path}


def _too_short(path: str, value: str) -> dict[str, str]:
    message = (
        f"The `{path}` property must NOT have fewer than 1 characters. You sent {_json(value)}."
    )
    return {"message": message, "path": path}


def _projects(value: Any) -> tuple[Any, list[dict[str, str]]]:
    """Check `projects` as ajv's oneOf does; returns the coerced value and its errors."""
    path = "/body/projects"
    errors: list[dict[str, str]] = []
    if isinstance(value, list):
        coerced = list(value)
        for i, item in enumerate(coerced):
            text = _as_string(item)
            if text is None:
                errors.append(_must_be(f"{path}/{i}", "string", item))
                break
            coerced[i] = text
        else:
            return coerced, []
        value = coerced
        errors.append(_must_be(path, "string", value))
        shown = _js_string(value)
    else:
        text = _as_string(value)
        if text == ALL_PROJECTS:
            return text, []
        # ajv writes the array branch's message after the string branch coerced the value
        errors.append(_must_be(path, "array", value if text is None else text))
        if text is None:
            errors.append(_must_be(path, "string", value))
        shown = _js_string(value) if text is None else text
    errors.append(
        {
            "message": "The `projects` property must be equal to one of the allowed values: "
            f'"{ALL_PROJECTS}". You provided "{shown}", which is not valid. Please use one of the '
            "allowed values instead..",
            "path": "projects",
        }
    )
    errors.append({"message": _ONE_OF, "path": path})
    return value, errors


def parse_request(value: Any) -> dict[str, Any]:
    """The request body coerced as Unleash coerces it (and echoes it back), or BadDataError."""
    body: dict[str, Any] = validate(value, _TOP)
    if "projects" in body:
        body["projects"], errors = _projects(body["projects"])
        if errors:
            raise BadDataError.many(errors, with_id=True)
    context: dict[str, Any] = validate(body["context"], _CONTEXT_HEAD, root="/body/context")
    if context["appName"] == "":
        raise BadDataError.many([_too_short("/body/context/appName", "")], with_id=True)
    current_time = context.get("currentTime")
    if isinstance(current_time, str) and not is_date_time(current_time):
        path = "/body/context/currentTime"
        message = (
            f'The `{path}` property must match format "date-time". You sent {_json(current_time)}.'
        )
        raise BadDataError.many([{"message": message, "path": path}], with_id=True)
    body["context"] = validate(context, _CONTEXT_REST, root="/body/context")
    return body
