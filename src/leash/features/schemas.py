"""What the flag and strategy API takes and answers (Unleash's OpenAPI names), and the bodies
as types."""

from __future__ import annotations

from typing import Any, Final, Literal, NotRequired, TypedDict

from leash.api.openapi import BOOLEAN, INTEGER, NULLABLE_STRING, OBJECT, STRING, array, obj
from leash.constraint_rules import CONSTRAINT_SCHEMA
from leash.segments.schemas import CONSTRAINT
from leash.validation import INT32, INT32_MAX, INT32_MIN, Schema

FEATURE_TYPES = ["experiment", "kill-switch", "release", "operational", "permission", "sunset"]

TAG: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["value", "type"],
    "properties": {
        "value": {"type": "string", "minLength": 2, "maxLength": 50},
        "type": {"type": "string", "minLength": 2, "maxLength": 50},
        "color": {"type": "string", "pattern": "^#[0-9A-Fa-f]{6}$", "nullable": True},
    },
}


class Tag(TypedDict):
    value: str
    type: str
    color: NotRequired[str | None]


CREATE_FEATURE: Schema = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string"},
        "type": {"enum": FEATURE_TYPES},
        "description": {"type": "string", "nullable": True},
        "impressionData": {"type": "boolean"},
        "tags": {"type": "array", "items": TAG},
    },
}


# What Unleash accepts as a flag name: what encodeURIComponent leaves alone, 1 to 100 long. Only
# documented (the fuzz test then names valid flags): the route leaves the rule to
# features.checks, which refuses a name in Joi's words, after the rest of the body is checked.
FLAG_NAME: Final[Schema] = {"type": "string", "pattern": "^[A-Za-z0-9_.!~*'()-]{1,100}$"}
DOCUMENTED_CREATE_FEATURE: Final[Schema] = {
    **CREATE_FEATURE,
    "properties": {**CREATE_FEATURE["properties"], "name": FLAG_NAME},
}


class CreateFeature(TypedDict):
    name: str
    type: NotRequired[str]
    description: NotRequired[str | None]
    impressionData: NotRequired[bool]
    tags: NotRequired[list[Tag]]


UPDATE_FEATURE: Schema = {
    "type": "object",
    "properties": {
        "description": {"type": "string"},
        "type": {"enum": FEATURE_TYPES},
        "stale": {"type": "boolean"},
        "archived": {"type": "boolean"},
        "impressionData": {"type": "boolean"},
    },
}


class UpdateFeature(TypedDict):
    """The schema's properties; like Unleash, the update reads the whole body (a `name` other
    than the flag's is refused, other keys are checked as flag metadata)."""

    description: NotRequired[str]
    type: NotRequired[str]
    stale: NotRequired[bool]
    archived: NotRequired[bool]
    impressionData: NotRequired[bool]
    name: NotRequired[Any]


PATCHES: Schema = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["path", "op"],
        "properties": {
            "path": {"type": "string"},
            "op": {"type": "string", "enum": ["add", "remove", "replace", "copy", "move", "test"]},
            "from": {"type": "string"},
            "value": {},
        },
    },
}


# "from" is a Python keyword: the functional form.
PatchOperation = TypedDict(
    "PatchOperation",
    {
        "path": str,
        "op": Literal["add", "remove", "replace", "copy", "move", "test"],
        "from": NotRequired[str],
        "value": NotRequired[Any],
    },
)

VALIDATE_FEATURE_NAME: Schema = {
    "type": "object",
    "required": ["name"],
    "properties": {"name": {"type": "string"}, "projectId": {"type": "string", "nullable": True}},
}


class ValidateFeatureName(TypedDict):
    name: str
    projectId: NotRequired[str | None]


# Unleash declares a number; its column (and leash's) is a 32-bit Integer on PostgreSQL.
SORT_ORDER: Schema = {"type": "number", "minimum": INT32_MIN, "maximum": INT32_MAX}

PARAMETERS: Schema = {"type": "object", "additionalProperties": {"type": "string"}}

_VARIANT_PROPERTIES: dict[str, Schema] = {
    "name": {"type": "string"},
    "weight": {"type": "integer", "minimum": 0, "maximum": 1000},
    "weightType": {"type": "string", "enum": ["variable", "fix"]},
    "stickiness": {"type": "string"},
    "payload": {
        "type": "object",
        "required": ["type", "value"],
        "properties": {
            "type": {"type": "string", "enum": ["json", "csv", "string", "number"]},
            "value": {"type": "string"},
        },
    },
}


class VariantPayload(TypedDict):
    type: Literal["json", "csv", "string", "number"]
    value: str


class StrategyVariant(TypedDict):
    name: str
    weight: int
    weightType: Literal["variable", "fix"]
    stickiness: str
    payload: NotRequired[VariantPayload]


CREATE_STRATEGY_VARIANT: Schema = {
    "type": "object",
    "required": ["name", "weight", "weightType", "stickiness"],
    "properties": _VARIANT_PROPERTIES,
}

STRATEGY_VARIANT: Schema = {**CREATE_STRATEGY_VARIANT, "additionalProperties": False}

CREATE_FEATURE_STRATEGY: Schema = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string"},
        "title": {"type": "string", "nullable": True},
        "disabled": {"type": "boolean", "nullable": True},
        "sortOrder": SORT_ORDER,
        "constraints": {"type": "array", "items": CONSTRAINT_SCHEMA},
        "variants": {"type": "array", "items": CREATE_STRATEGY_VARIANT},
        "parameters": PARAMETERS,
        "segments": {"type": "array", "items": INT32},
    },
}


class CreateFeatureStrategy(TypedDict):
    name: str
    title: NotRequired[str | None]
    disabled: NotRequired[bool | None]
    sortOrder: NotRequired[float]
    constraints: NotRequired[list[dict[str, Any]]]
    variants: NotRequired[list[StrategyVariant]]
    parameters: NotRequired[dict[str, str]]
    segments: NotRequired[list[int]]


UPDATE_FEATURE_STRATEGY: Schema = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "sortOrder": SORT_ORDER,
        "constraints": {"type": "array", "items": CONSTRAINT_SCHEMA},
        "title": {"type": "string", "nullable": True},
        "disabled": {"type": "boolean", "nullable": True},
        "variants": {"type": "array", "items": STRATEGY_VARIANT},
        "segments": {"type": "array", "items": INT32},
        "parameters": PARAMETERS,
    },
}


class UpdateFeatureStrategy(TypedDict):
    name: NotRequired[str]
    sortOrder: NotRequired[float]
    constraints: NotRequired[list[dict[str, Any]]]
    title: NotRequired[str | None]
    disabled: NotRequired[bool | None]
    variants: NotRequired[list[StrategyVariant]]
    segments: NotRequired[list[int]]
    parameters: NotRequired[dict[str, str]]


# -- answers ----------------------------------------------------------------------------------

FLAG: Final[Schema] = obj(
    ["name", "type", "project"],
    name=STRING,
    type=STRING,
    project=STRING,
    description=NULLABLE_STRING,
    stale=BOOLEAN,
    impressionData=BOOLEAN,
)
FLAGS: Final[Schema] = obj(["features"], features=array({**FLAG, "required": ["name", "type"]}))
FLAG_WITH_ENVIRONMENTS: Final[Schema] = {
    **FLAG,
    "required": ["name", "type", "project", "environments"],
}
STRATEGY: Final[Schema] = obj(
    ["id", "name", "constraints", "parameters"],
    id=STRING,
    name=STRING,
    constraints=array(CONSTRAINT),
    parameters=OBJECT,
    variants=array(OBJECT),
    segments=array(INTEGER),
)
STRATEGIES: Final[Schema] = array(STRATEGY)


# -- environment variants, strategy order, bulk toggles ---------------------------------------

# Unleash's variantSchema; the values Joi checks after it are leash.features.variant_rules.
VARIANT: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "weight"],
    "properties": {
        "name": {"type": "string"},
        "weight": {"type": "number", "minimum": 0, "maximum": 1000},
        "weightType": {"type": "string", "enum": ["variable", "fix"]},
        "stickiness": {"type": "string"},
        "payload": {
            "type": "object",
            "required": ["type", "value"],
            "additionalProperties": False,
            "properties": {
                "type": {"type": "string", "enum": ["json", "csv", "string", "number"]},
                "value": {"type": "string"},
            },
        },
        "overrides": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["contextName", "values"],
                "properties": {
                    "contextName": {"type": "string"},
                    "values": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}
VARIANTS: Final[Schema] = {"type": "array", "items": VARIANT}
PUSH_VARIANTS: Final[Schema] = {
    "type": "object",
    "properties": {
        "variants": VARIANTS,
        "environments": {"type": "array", "items": {"type": "string"}},
    },
}


class PushVariants(TypedDict):
    variants: NotRequired[list[dict[str, Any]]]
    environments: NotRequired[list[str]]


FEATURE_VARIANTS: Final[Schema] = obj(
    ["version", "variants"], version=INTEGER, variants=array(OBJECT)
)

SET_STRATEGY_SORT_ORDER: Final[Schema] = {
    "type": "array",
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "sortOrder"],
        "properties": {"id": {"type": "string"}, "sortOrder": SORT_ORDER},
    },
}


class StrategySortOrder(TypedDict):
    id: str
    sortOrder: float


BULK_TOGGLE_FEATURES: Final[Schema] = {
    "type": "object",
    "required": ["features"],
    "properties": {"features": {"type": "array", "items": {"type": "string"}}},
}


class BulkToggleFeatures(TypedDict):
    features: list[str]


FEATURE_ENVIRONMENT: Final[Schema] = obj(
    ["name", "enabled"], name=STRING, environment=STRING, enabled=BOOLEAN, strategies=array(OBJECT)
)

# Unleash's featureStrategySchema: what a patched strategy must still be.
FEATURE_STRATEGY: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name"],
    "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "title": {"type": "string", "nullable": True},
        "disabled": {"type": "boolean", "nullable": True},
        "featureName": {"type": "string"},
        "sortOrder": SORT_ORDER,
        "segments": {"type": "array", "items": INT32},
        "constraints": {"type": "array", "items": CONSTRAINT_SCHEMA},
        "variants": {"type": "array", "items": STRATEGY_VARIANT},
        "parameters": PARAMETERS,
    },
}
