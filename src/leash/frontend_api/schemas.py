"""What the frontend API takes and answers."""

from __future__ import annotations

from typing import Any, Final, NotRequired, TypedDict

from leash.api.openapi import BOOLEAN, STRING, array, obj
from leash.validation import Schema

# Any object is a context: leash.frontend_api.context reads it as Unleash does (its fields are
# strings, or become strings; unknown ones are properties).
FEATURES_POST: Final[Schema] = {
    "type": "object",
    "properties": {
        "context": {
            "type": "object",
            "description": "appName, environment, userId, sessionId, remoteAddress and "
            "properties; any other field is a property.",
        }
    },
}


class FeaturesPost(TypedDict):
    context: NotRequired[dict[str, Any]]


# -- answers ----------------------------------------------------------------------------------

TOGGLE: Final[Schema] = obj(
    ["name", "enabled", "variant"],
    name=STRING,
    enabled=BOOLEAN,
    impressionData=BOOLEAN,
    variant=obj(["name", "enabled"], name=STRING, enabled=BOOLEAN),
)
TOGGLES: Final[Schema] = obj(["toggles"], toggles=array(TOGGLE))
