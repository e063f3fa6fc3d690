"""Bodies and answers of the project and environment operations (Unleash's OpenAPI names)."""

from __future__ import annotations

from typing import Final, NotRequired, TypedDict

from leash.api.openapi import BOOLEAN, INTEGER, OBJECT, STRING, array, obj
from leash.features.schemas import CREATE_FEATURE_STRATEGY, CreateFeatureStrategy
from leash.validation import INT32, Schema

PROJECTS: Final[Schema] = obj(["projects"], projects=array(OBJECT))
ENVIRONMENTS: Final[Schema] = obj(["environments"], environments=array(OBJECT))

# environmentSchema
ENVIRONMENT: Final[Schema] = obj(
    ["name", "type", "enabled", "protected", "sortOrder"],
    name=STRING,
    type=STRING,
    enabled=BOOLEAN,
    protected=BOOLEAN,
    sortOrder=INTEGER,
)
# environmentsProjectSchema
PROJECT_ENVIRONMENTS: Final[Schema] = obj(
    ["version", "environments"],
    version=INTEGER,
    environments=array(
        obj(
            ["name", "type", "enabled", "protected", "sortOrder"],
            name=STRING,
            type=STRING,
            enabled=BOOLEAN,
            protected=BOOLEAN,
            sortOrder=INTEGER,
            projectApiTokenCount=INTEGER,
            projectEnabledToggleCount=INTEGER,
            defaultStrategy=OBJECT,
            visible=BOOLEAN,
        )
    ),
)

# sortOrderSchema: environment name -> its sort order (a 32-bit column).
SORT_ORDER: Final[Schema] = {"type": "object", "additionalProperties": INT32}

# projectEnvironmentSchema
PROJECT_ENVIRONMENT: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["environment"],
    "properties": {
        "environment": STRING,
        "changeRequestsEnabled": BOOLEAN,
        "defaultStrategy": CREATE_FEATURE_STRATEGY,
    },
}


class ProjectEnvironment(TypedDict):
    environment: str
    changeRequestsEnabled: NotRequired[bool]
    defaultStrategy: NotRequired[CreateFeatureStrategy]


DEFAULT_STRATEGY: Final[Schema] = CREATE_FEATURE_STRATEGY
