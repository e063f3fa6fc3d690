"""What the context API takes and answers: one constraint to validate (Unleash's
constraintSchema), context fields and their legal values."""

from __future__ import annotations

from typing import Final, NotRequired, TypedDict

from leash.api.openapi import BOOLEAN, INTEGER, NULLABLE_STRING, STRING, array, obj
from leash.constraint_rules import CONSTRAINT_SCHEMA
from leash.validation import INT32, Schema

CONSTRAINT: Final[Schema] = CONSTRAINT_SCHEMA


class Constraint(TypedDict):
    contextName: str
    operator: str
    caseInsensitive: NotRequired[bool]
    inverted: NotRequired[bool]
    values: NotRequired[list[str]]
    value: NotRequired[str]


# -- context fields (Unleash's createContextFieldSchema, updateContextFieldSchema, ...) ------

LEGAL_VALUE: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["value"],
    "properties": {"value": {"type": "string"}, "description": {"type": "string"}},
}

_FIELD_PROPERTIES: Final[dict[str, Schema]] = {
    "description": {"type": "string"},
    "stickiness": {"type": "boolean"},
    "sortOrder": INT32,
    "legalValues": {"type": "array", "items": LEGAL_VALUE},
    "project": {"type": "string"},
}

CREATE_CONTEXT_FIELD: Final[Schema] = {
    "type": "object",
    "required": ["name"],
    "properties": {**_FIELD_PROPERTIES, "name": {"type": "string"}},
}
UPDATE_CONTEXT_FIELD: Final[Schema] = {"type": "object", "properties": _FIELD_PROPERTIES}
NAME: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name"],
    "properties": {"name": {"type": "string"}},
}


class LegalValue(TypedDict):
    value: str
    description: NotRequired[str]


class UpdateContextField(TypedDict, total=False):
    name: str
    description: str
    stickiness: bool
    sortOrder: int
    legalValues: list[LegalValue]
    project: str


class CreateContextField(UpdateContextField):
    name: str  # type: ignore[misc]


class Name(TypedDict):
    name: str


CONTEXT_FIELD: Final[Schema] = obj(
    ["name"],
    name=STRING,
    description=NULLABLE_STRING,
    stickiness=BOOLEAN,
    sortOrder=INTEGER,
    createdAt=NULLABLE_STRING,
    usedInFeatures=INTEGER,
    usedInProjects=INTEGER,
    legalValues=array(LEGAL_VALUE),
    project=STRING,
)
CONTEXT_FIELDS: Final[Schema] = array(CONTEXT_FIELD)
CONTEXT_FIELD_STRATEGIES: Final[Schema] = obj(
    ["strategies"],
    strategies=array(
        obj(
            ["id", "featureName", "projectId", "environment", "strategyName"],
            id=STRING,
            featureName=STRING,
            projectId=STRING,
            environment=STRING,
            strategyName=STRING,
        )
    ),
)
INCLUDE_QUERY: Final[dict[str, Schema]] = {
    "include": {"type": "string", "example": "project"},
}
