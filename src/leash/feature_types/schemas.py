"""What the feature-types API takes and answers (Unleash's OpenAPI names)."""

from __future__ import annotations

from typing import Final, TypedDict

from leash.api.openapi import INTEGER, STRING, array
from leash.validation import INT32, Schema

# Checked without `nullable`: ajv words a wrong type "must be integer" all the same, and
# coerces a null to 0, which the service stores as "no lifetime" as it stores a null.
UPDATE_FEATURE_TYPE_LIFETIME: Final[Schema] = {
    "type": "object",
    "required": ["lifetimeDays"],
    "properties": {"lifetimeDays": {**INT32, "minimum": 0}},
}
DOCUMENTED_UPDATE_FEATURE_TYPE_LIFETIME: Final[Schema] = {
    "type": "object",
    "required": ["lifetimeDays"],
    "properties": {"lifetimeDays": {**INT32, "nullable": True, "minimum": 0}},
}


class UpdateFeatureTypeLifetime(TypedDict):
    lifetimeDays: int | None


FEATURE_TYPE: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "name", "description", "lifetimeDays"],
    "properties": {
        "id": STRING,
        "name": STRING,
        "description": STRING,
        "lifetimeDays": {**INTEGER, "minimum": 0, "nullable": True},
    },
}
FEATURE_TYPES: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["version", "types"],
    "properties": {"version": {**INTEGER, "enum": [1]}, "types": array(FEATURE_TYPE)},
}
