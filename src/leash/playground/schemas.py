"""The playground request: Unleash's playgroundRequestSchema, checked with ajv's wording, and
the answer.

`projects` (an array or "*") and `context.currentTime` (ajv-formats' date-time, leash.formats)
are checked here, in the order ajv reaches them, with ajv's wording for each: Unleash's oneOf
there words its errors unlike leash.validation's generic oneOf.
"""

from __future__ import annotations

from typing import Any, Final, NotRequired, TypedDict

import orjson

from leash import formats
from leash.api.openapi import OBJECT, array, obj
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


class PlaygroundRequest(TypedDict):
    environment: str
    projects: NotRequired[list[str] | str]  # a list of project ids, or ALL_PROJECTS
    context: dict[str, Any]


# PLAYGROUND_REQUEST as parse_request checks it, a part at a time in ajv's order.
_TOP: Final[Schema] = {
    "type": "object",
    "required": PLAYGROUND_REQUEST["required"],
    "properties": {"environment": PLAYGROUND_REQUEST["properties"]["environment"]},
}
# ajv reaches appName and currentTime before the other context properties; their minLength and
# format are checked after their types, in ajv's order.
_CONTEXT_HEAD: Final[Schema] = {
    "type": "object",
    "required": SDK_CONTEXT["required"],
    "properties": {
        name: {"type": SDK_CONTEXT["properties"][name]["type"]}
        for name in ("appName", "currentTime")
    },
}
_CONTEXT_REST: Final[Schema] = {
    "type": "object",
    "properties": {
        name: sub
        for name, sub in SDK_CONTEXT["properties"].items()
        if name not in ("appName", "currentTime")
    },
}

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


def parse_request(value: Any) -> PlaygroundRequest:
    """The request body checked against PLAYGROUND_REQUEST and coerced as Unleash coerces it
    (and echoes it back), or BadDataError: getPlayground's body check."""
    body: PlaygroundRequest = validate(value, _TOP)
    if "projects" in body:
        body["projects"], errors = _projects(body["projects"])
        if errors:
            raise BadDataError.many(errors, with_id=True)
    body["context"] = _context(body["context"])
    return body


def _context(value: Any) -> dict[str, Any]:
    context: dict[str, Any] = validate(value, _CONTEXT_HEAD, root="/body/context")
    if context["appName"] == "":
        raise BadDataError.many([_too_short("/body/context/appName", "")], with_id=True)
    current_time = context.get("currentTime")
    if isinstance(current_time, str) and not formats.is_date_time(current_time):
        path = "/body/context/currentTime"
        message = (
            f'The `{path}` property must match format "date-time". You sent {_json(current_time)}.'
        )
        raise BadDataError.many([{"message": message, "path": path}], with_id=True)
    checked: dict[str, Any] = validate(context, _CONTEXT_REST, root="/body/context")
    return checked


ENVIRONMENT_NAMES: Final[Schema] = {
    "type": "array",
    "minItems": 1,
    "items": {"type": "string", "minLength": 1, "pattern": "^[a-zA-Z0-9~_.-]+$"},
}

ADVANCED_REQUEST: Final[Schema] = {
    "type": "object",
    "required": ["environments", "context"],
    "properties": {
        "environments": ENVIRONMENT_NAMES,
        "projects": PLAYGROUND_REQUEST["properties"]["projects"],
        "context": SDK_CONTEXT,
    },
}


class AdvancedRequest(TypedDict):
    environments: list[str]
    projects: NotRequired[list[str] | str]
    context: dict[str, Any]


_ADVANCED_TOP: Final[Schema] = {
    "type": "object",
    "required": ADVANCED_REQUEST["required"],
    "properties": {"environments": ENVIRONMENT_NAMES},
}


def parse_advanced_request(value: Any) -> AdvancedRequest:
    """getAdvancedPlayground's body check: parse_request's, with a list of environments."""
    body: AdvancedRequest = validate(value, _ADVANCED_TOP)
    if not body["environments"]:
        # minItems, which leash.validation does not check.
        path = "/body/environments"
        message = f"The `{path}` property must NOT have fewer than 1 items. You sent []."
        raise BadDataError.many([{"message": message, "path": path}], with_id=True)
    if "projects" in body:
        body["projects"], errors = _projects(body["projects"])
        if errors:
            raise BadDataError.many(errors, with_id=True)
    body["context"] = _context(body["context"])
    return body


# -- answers ----------------------------------------------------------------------------------

PLAYGROUND_RESPONSE: Final[Schema] = obj(
    ["input", "features"], input=OBJECT, features=array(OBJECT)
)
ADVANCED_RESPONSE: Final[Schema] = obj(
    ["input", "features"], input=OBJECT, features=array(OBJECT), warnings=OBJECT
)
