"""What the lifecycle operations take and answer (Unleash's OpenAPI names)."""

from __future__ import annotations

from typing import Final, Literal, NotRequired, TypedDict

from leash.api.openapi import STRING, array
from leash.lifecycle.repository import STAGES
from leash.validation import Schema

FEATURE_LIFECYCLE_COMPLETED: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["status"],
    "properties": {
        "status": {"type": "string", "enum": ["kept", "discarded"]},
        # Stored in a text column; capped as every free text leash keeps.
        "statusValue": {"type": "string", "maxLength": 1000},
    },
}


class FeatureLifecycleCompleted(TypedDict):
    status: Literal["kept", "discarded"]
    statusValue: NotRequired[str]


FEATURE_LIFECYCLE: Final[Schema] = array(
    {
        "type": "object",
        "additionalProperties": False,
        "required": ["stage", "enteredStageAt"],
        "properties": {
            "stage": {"type": "string", "enum": list(STAGES)},
            "status": STRING,
            "enteredStageAt": {"type": "string", "format": "date-time"},
        },
    }
)

_NUMBER: Final[Schema] = {"type": "number"}
FEATURE_LIFECYCLE_COUNT: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["initial", "preLive", "live", "completed", "archived"],
    "properties": {
        "initial": _NUMBER,
        "preLive": _NUMBER,
        "live": _NUMBER,
        "completed": _NUMBER,
        "archived": _NUMBER,
    },
}
