"""Request schemas of the flag and strategy endpoints (Unleash's OpenAPI names)."""

from leash.constraints import CONSTRAINT_SCHEMA
from leash.validation import INT32, INT32_MAX, INT32_MIN, Schema

FEATURE_TYPES = ["experiment", "kill-switch", "release", "operational", "permission"]

TAG: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["value", "type"],
    "properties": {
        "value": {"type": "string", "minLength": 2, "maxLength": 50},
        "type": {"type": "string", "minLength": 2, "maxLength": 50},
        "color": {"type": "string", "nullable": True},
    },
}

CREATE_FEATURE: Schema = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string"},
        "type": {"enum": FEATURE_TYPES},
        "description": {"type": "string", "nullable": True},
        "impressionData": {"type": "boolean"},
        "tags": {"type": "array", "items": TAG},
    },
}

UPDATE_FEATURE: Schema = {
    "type": "object",
    "properties": {
        "description": {"type": "string"},
        "type": {"enum": FEATURE_TYPES},
        "stale": {"type": "boolean"},
        "archived": {"type": "boolean"},
        "impressionData": {"type": "boolean"},
    },
}

PATCHES: Schema = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["path", "op"],
        "properties": {
            "path": {"type": "string"},
            "op": {"type": "string", "enum": ["add", "remove", "replace", "copy", "move", "test"]},
            "from": {"type": "string"},
            "value": {},
        },
    },
}

VALIDATE_FEATURE_NAME: Schema = {
    "type": "object",
    "required": ["name"],
    "properties": {"name": {"type": "string"}, "projectId": {"type": "string", "nullable": True}},
}

# Unleash declares a number; its column (and leash's) is a 32-bit Integer on PostgreSQL.
SORT_ORDER: Schema = {"type": "number", "minimum": INT32_MIN, "maximum": INT32_MAX}

PARAMETERS: Schema = {"type": "object", "additionalProperties": {"type": "string"}}

_VARIANT_PROPERTIES: dict[str, Schema] = {
    "name": {"type": "string"},
    "weight": {"type": "integer", "minimum": 0, "maximum": 1000},
    "weightType": {"type": "string", "enum": ["variable", "fix"]},
    "stickiness": {"type": "string"},
    "payload": {
        "type": "object",
        "required": ["type", "value"],
        "properties": {
            "type": {"type": "string", "enum": ["json", "csv", "string", "number"]},
            "value": {"type": "string"},
        },
    },
}

CREATE_STRATEGY_VARIANT: Schema = {
    "type": "object",
    "required": ["name", "weight", "weightType", "stickiness"],
    "properties": _VARIANT_PROPERTIES,
}

STRATEGY_VARIANT: Schema = {**CREATE_STRATEGY_VARIANT, "additionalProperties": False}

CREATE_FEATURE_STRATEGY: Schema = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string"},
        "title": {"type": "string", "nullable": True},
        "disabled": {"type": "boolean", "nullable": True},
        "sortOrder": SORT_ORDER,
        "constraints": {"type": "array", "items": CONSTRAINT_SCHEMA},
        "variants": {"type": "array", "items": CREATE_STRATEGY_VARIANT},
        "parameters": PARAMETERS,
        "segments": {"type": "array", "items": INT32},
    },
}

UPDATE_FEATURE_STRATEGY: Schema = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "sortOrder": SORT_ORDER,
        "constraints": {"type": "array", "items": CONSTRAINT_SCHEMA},
        "title": {"type": "string", "nullable": True},
        "disabled": {"type": "boolean", "nullable": True},
        "variants": {"type": "array", "items": STRATEGY_VARIANT},
        "segments": {"type": "array", "items": INT32},
        "parameters": PARAMETERS,
    },
}
