"""What cloneFeature takes (Unleash's cloneFeatureSchema)."""

from __future__ import annotations

from typing import Final, NotRequired, TypedDict

from leash.api.openapi import BOOLEAN, STRING
from leash.validation import Schema

CLONE_FEATURE: Final[Schema] = {
    "type": "object",
    "required": ["name"],
    "properties": {"name": STRING, "replaceGroupId": BOOLEAN},
}


class CloneFeature(TypedDict):
    name: str
    replaceGroupId: NotRequired[bool]
