"""What the maintenance API takes and answers (Unleash's OpenAPI names)."""

from __future__ import annotations

from typing import Final, TypedDict

from leash.api.openapi import BOOLEAN
from leash.validation import Schema

TOGGLE_MAINTENANCE: Final[Schema] = {
    "type": "object",
    "required": ["enabled"],
    "properties": {"enabled": {"type": "boolean"}},
}


class ToggleMaintenance(TypedDict):
    enabled: bool


MAINTENANCE: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["enabled"],
    "properties": {"enabled": BOOLEAN},
}

TELEMETRY_SETTINGS: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["versionInfoCollectionEnabled", "featureInfoCollectionEnabled"],
    "properties": {
        "versionInfoCollectionEnabled": BOOLEAN,
        "featureInfoCollectionEnabled": BOOLEAN,
    },
}
