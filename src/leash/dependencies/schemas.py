"""What the dependency API takes and answers (Unleash's OpenAPI names)."""

from __future__ import annotations

from typing import Final, NotRequired, TypedDict

from leash.api.openapi import BOOLEAN, STRING, array
from leash.validation import Schema

CREATE_DEPENDENT_FEATURE: Final[Schema] = {
    "type": "object",
    "required": ["feature"],
    "properties": {
        "feature": {"type": "string"},
        "enabled": {"type": "boolean"},
        "variants": {"type": "array", "items": {"type": "string"}},
    },
}


class CreateDependentFeature(TypedDict):
    feature: str
    enabled: NotRequired[bool]
    variants: NotRequired[list[str]]


PARENT_FEATURE_OPTIONS: Final[Schema] = array(STRING)
PARENT_VARIANT_OPTIONS: Final[Schema] = array(STRING)
DEPENDENCIES_EXIST: Final[Schema] = BOOLEAN
