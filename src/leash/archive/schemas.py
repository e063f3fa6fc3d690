"""What the archive and bulk flag operations take and answer (Unleash's OpenAPI names)."""

from __future__ import annotations

from typing import Final, TypedDict

from leash.api.openapi import BOOLEAN, STRING, array
from leash.validation import Schema

BATCH_FEATURES: Final[Schema] = {
    "type": "object",
    "required": ["features"],
    "properties": {"features": array(STRING)},
}


class BatchFeatures(TypedDict):
    features: list[str]


BATCH_STALE: Final[Schema] = {
    "type": "object",
    "required": ["features", "stale"],
    "properties": {"features": array(STRING), "stale": BOOLEAN},
}


class BatchStale(TypedDict):
    features: list[str]
    stale: bool


VALIDATE_ARCHIVE_FEATURES: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["parentsWithChildFeatures", "hasDeletedDependencies"],
    "properties": {"parentsWithChildFeatures": array(STRING), "hasDeletedDependencies": BOOLEAN},
}
