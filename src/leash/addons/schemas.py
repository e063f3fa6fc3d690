"""What the addon operations take (Unleash 8.2's addonCreateUpdateSchema) and the body's type."""

from __future__ import annotations

from typing import Any, Final, NotRequired, TypedDict

from leash.validation import Schema

_NAMES: Final[Schema] = {
    "type": "array",
    "maxItems": 1000,
    "items": {"type": "string", "maxLength": 255},
}

ADDON_CREATE_UPDATE: Final[Schema] = {
    "type": "object",
    "required": ["provider", "enabled", "parameters", "events"],
    "properties": {
        "provider": {"type": "string", "maxLength": 255},
        "description": {"type": "string", "maxLength": 10000},
        "enabled": {"type": "boolean"},
        "parameters": {
            "type": "object",
            "maxProperties": 100,
            "additionalProperties": {},
        },
        "events": _NAMES,
        "projects": _NAMES,
        "environments": _NAMES,
    },
}

EVENTS_QUERY: Final[dict[str, Schema]] = {
    "limit": {"type": "string"},
    "offset": {"type": "string"},
}


class AddonCreateUpdate(TypedDict):
    provider: str
    enabled: bool
    parameters: dict[str, Any]
    events: list[str]
    description: NotRequired[str | None]
    projects: NotRequired[list[str]]
    environments: NotRequired[list[str]]
