"""The playground request: Unleash's playgroundRequestSchema, checked with ajv's wording.

leash.validation has no oneOf and no formats, so `projects` (an array or "*") and
`context.currentTime` (date-time) are checked here, in the order ajv reaches them.
"""

from __future__ import annotations

from calendar import monthrange
from typing import Any, Final

import orjson

from leash.engine.context import js_string
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

# JavaScript's \s, which ajv-formats takes between the date and the time.
_JS_SPACE: Final = frozenset(
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)

_ONE_OF: Final = (
    'The "/body/projects" property must match exactly one schema in oneOf. The data you '
    "provided matches more than one option in the schema. These options are mutually "
    "exclusive. Please refer back to the schema and remove any excess properties."
)


def _json(value: Any) -> str:
    try:
        return orjson.dumps(value).decode()
    except orjson.JSONEncodeError:
        # deeper than orjson writes (255 levels); a message needs no more than its shape
        return "[…]" if isinstance(value, list) else "{…}"


def _as_string(value: Any) -> str | None:
    """ajv's coercion to string; None when the value cannot be coerced (objects, arrays)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return js_string(value)
    if value is None:
        return ""
    return None


def _zone_minutes(zone: str) -> int | None:
    """ajv-formats' zone, ``z``, ``±hh``, ``±hhmm`` or ``±hh:mm``, as minutes east of UTC."""
    if zone in ("z", "Z"):
        return 0
    if zone[:1] not in ("+", "-"):
        return None
    body = zone[1:]
    if len(body) == 5 and body[2] == ":":
        body = body[:2] + body[3:]
    if len(body) not in (2, 4) or not (body.isascii() and body.isdigit()):
        return None
    minutes = int(body[:2]) * 60 + int(body[2:] or 0)
    return minutes if zone[0] == "+" else -minutes


def is_date_time(text: str) -> bool:
    """ajv-formats' full date-time: a real calendar date and time, the zone optional.

    Read by position, not with a regex: the text comes from the request (digits are ASCII,
    as in JavaScript; nothing may follow the zone, not even a newline).
    """
    if len(text) < 19:
        return False
    digits = text[0:4] + text[5:7] + text[8:10] + text[11:13] + text[14:16] + text[17:19]
    if not (digits.isascii() and digits.isdigit()):
        return False
    if (text[4], text[7], text[13], text[16]) != ("-", "-", ":", ":"):
        return False
    if text[10] not in ("t", "T") and text[10] not in _JS_SPACE:
        return False
    rest = text[19:]
    if rest.startswith("."):
        fraction = rest[1:]
        rest = fraction.lstrip("0123456789")
        if len(rest) == len(fraction):
            return False
    offset = _zone_minutes(rest) if rest else 0
    if offset is None:
        return False
    year, month, day = int(text[0:4]), int(text[5:7]), int(text[8:10])
    hour, minute, second = int(text[11:13]), int(text[14:16]), int(text[17:19])
    if not 1 <= month <= 12 or not 1 <= day <= monthrange(year, month)[1]:
        return False
    if hour <= 23 and minute <= 59 and second <= 59:
        return True
    if second != 60 or hour > 23 or minute > 59:
        return False
    # a leap second is only valid at 23:59:60 UTC
    return (hour * 60 + minute - offset) % (24 * 60) == 23 * 60 + 59


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
        shown = js_string(value)
    else:
        text = _as_string(value)
        if text == ALL_PROJECTS:
            return text, []
        # ajv writes the array branch's message after the string branch coerced the value
        errors.append(_must_be(path, "array", value if text is None else text))
        if text is None:
            errors.append(_must_be(path, "string", value))
        shown = js_string(value) if text is None else text
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
