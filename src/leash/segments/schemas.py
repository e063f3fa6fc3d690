"""What the segments API takes and answers (Unleash's OpenAPI names), and the bodies as types."""

from __future__ import annotations

from typing import Any, Final, NotRequired, TypedDict

from leash.api.openapi import INTEGER, NULLABLE_STRING, STRING, array, obj
from leash.constraint_rules import CONSTRAINT_SCHEMA
from leash.validation import INT32, Schema

UPSERT_SEGMENT: Schema = {
    "type": "object",
    "required": ["name", "constraints"],
    "properties": {
        "name": {"type": "string"},
        "description": {"type": "string", "nullable": True},
        "project": {"type": "string", "nullable": True},
        "constraints": {"type": "array", "items": CONSTRAINT_SCHEMA},
    },
}


class UpsertSegment(TypedDict):
    name: str
    description: NotRequired[str | None]
    project: NotRequired[str | None]
    constraints: list[dict[str, Any]]


NAME: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name"],
    "properties": {"name": {"type": "string"}},
}


class Name(TypedDict):
    name: str


UPDATE_FEATURE_STRATEGY_SEGMENTS: Schema = {
    "type": "object",
    "required": ["projectId", "strategyId", "environmentId", "segmentIds"],
    "properties": {
        "projectId": {"type": "string"},
        "strategyId": {"type": "string"},
        "environmentId": {"type": "string"},
        "segmentIds": {"type": "array", "items": {**INT32, "minimum": 0}},
    },
}


class StrategySegments(TypedDict):
    projectId: str
    strategyId: str
    environmentId: str
    segmentIds: list[int]


# -- answers ----------------------------------------------------------------------------------

CONSTRAINT: Final[Schema] = obj(["contextName", "operator"], contextName=STRING, operator=STRING)
SEGMENT: Final[Schema] = obj(
    ["id", "name", "constraints"],
    id=INTEGER,
    name=STRING,
    description=NULLABLE_STRING,
    project=NULLABLE_STRING,
    constraints=array(CONSTRAINT),
    createdBy=NULLABLE_STRING,
    createdAt=NULLABLE_STRING,
)
SEGMENTS: Final[Schema] = obj(["segments"], segments=array(SEGMENT))
STRATEGY_SEGMENTS: Final[Schema] = obj(
    ["strategyId", "segmentIds"], strategyId=STRING, segmentIds=array(INTEGER)
)
SEGMENT_STRATEGIES: Final[Schema] = obj(
    ["strategies"],
    strategies=array({"type": "object"}),
    changeRequestStrategies=array({"type": "object"}),
)
