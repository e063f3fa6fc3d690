"""What the strategies API takes and answers (Unleash's OpenAPI names), and the bodies as types."""

from __future__ import annotations

from typing import Any, Final, NotRequired, TypedDict

from leash.api.openapi import BOOLEAN, INTEGER, NULLABLE_STRING, STRING, array
from leash.validation import Schema

PARAMETER_TYPES: Final = ("string", "percentage", "list", "number", "boolean")

_PARAMETER: Final[Schema] = {
    "type": "object",
    "required": ["name", "type"],
    "properties": {
        "name": {"type": "string"},
        "type": {"type": "string", "enum": list(PARAMETER_TYPES)},
        "description": {"type": "string"},
        "required": {"type": "boolean"},
    },
}

CREATE_STRATEGY: Final[Schema] = {
    "type": "object",
    "required": ["name", "parameters"],
    "properties": {
        "name": {"type": "string"},
        "title": {"type": "string"},
        "description": {"type": "string"},
        "editable": {"type": "boolean"},
        "deprecated": {"type": "boolean"},
        "parameters": {"type": "array", "items": _PARAMETER},
    },
}

UPDATE_STRATEGY: Final[Schema] = {
    "type": "object",
    "required": ["parameters"],
    "properties": {
        "description": {"type": "string"},
        "parameters": {"type": "array", "items": _PARAMETER},
    },
}


class Parameter(TypedDict):
    name: str
    type: str
    description: NotRequired[str]
    required: NotRequired[bool]


class CreateStrategy(TypedDict):
    name: str
    title: NotRequired[str]
    description: NotRequired[str]
    editable: NotRequired[bool]
    deprecated: NotRequired[bool]
    parameters: list[Parameter]


class UpdateStrategy(TypedDict):
    description: NotRequired[str]
    parameters: list[Parameter]


# -- answers ----------------------------------------------------------------------------------

_ANSWERED_PARAMETER: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"name": STRING, "type": STRING, "description": STRING, "required": BOOLEAN},
}
STRATEGY: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "displayName", "description", "editable", "deprecated", "parameters"],
    "properties": {
        "title": NULLABLE_STRING,
        "name": STRING,
        "displayName": NULLABLE_STRING,
        "description": NULLABLE_STRING,
        "editable": BOOLEAN,
        "deprecated": BOOLEAN,
        "parameters": array(_ANSWERED_PARAMETER),
    },
}
STRATEGIES: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["version", "strategies"],
    "properties": {"version": {**INTEGER, "enum": [1]}, "strategies": array(STRATEGY)},
}

Strategy = dict[str, Any]
