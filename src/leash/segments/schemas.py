"""Request schemas of the segments API (Unleash's OpenAPI names)."""

from leash.constraints import CONSTRAINT_SCHEMA
from leash.validation import INT32, Schema

UPSERT_SEGMENT: Schema = {
    "type": "object",
    "required": ["name", "constraints"],
    "properties": {
        "name": {"type": "string"},
        "description": {"type": "string", "nullable": True},
        "project": {"type": "string", "nullable": True},
        "constraints": {"type": "array", "items": CONSTRAINT_SCHEMA},
    },
}

NAME: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name"],
    "properties": {"name": {"type": "string"}},
}

UPDATE_FEATURE_STRATEGY_SEGMENTS: Schema = {
    "type": "object",
    "required": ["projectId", "strategyId", "environmentId", "segmentIds"],
    "properties": {
        "projectId": {"type": "string"},
        "strategyId": {"type": "string"},
        "environmentId": {"type": "string"},
        "segmentIds": {"type": "array", "items": {**INT32, "minimum": 0}},
    },
}
