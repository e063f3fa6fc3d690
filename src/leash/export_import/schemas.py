"""What the export/import API takes and answers: Unleash 8.2's exportQuerySchema,
importTogglesSchema (whose data is an exportResultSchema) and importTogglesValidateSchema."""

from __future__ import annotations

from typing import Any, Final, NotRequired, TypedDict

from leash.api.openapi import BOOLEAN, INTEGER, NULLABLE_STRING, STRING, array, obj
from leash.constraint_rules import CONSTRAINT_SCHEMA
from leash.context.schemas import LEGAL_VALUE
from leash.features.schemas import PARAMETERS, STRATEGY_VARIANT, VARIANT
from leash.validation import Schema

ANY: Final[Schema] = {}

_EXPORT_COMMON: Final[dict[str, Schema]] = {
    "environment": {"type": "string"},
    "downloadFile": {"type": "boolean"},
}

EXPORT_QUERY: Final[Schema] = {
    "type": "object",
    "anyOf": [
        {
            "required": ["environment", "features"],
            "properties": {
                **_EXPORT_COMMON,
                "features": {"type": "array", "items": {"type": "string", "minLength": 1}},
            },
        },
        {
            "required": ["environment", "tag"],
            "properties": {**_EXPORT_COMMON, "tag": {"type": "string"}},
        },
        {
            "required": ["environment", "project"],
            "properties": {**_EXPORT_COMMON, "project": {"type": "string"}},
        },
    ],
}


class ExportQuery(TypedDict):
    environment: str
    features: NotRequired[list[str]]
    tag: NotRequired[str]
    project: NotRequired[str]
    downloadFile: NotRequired[bool]


_NULLABLE_DATE: Final[Schema] = {"type": "string", "nullable": True}

# Unleash's featureSchema: what the import reads is typed, the rest is accepted as it comes.
FEATURE: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name"],
    "properties": {
        "name": {"type": "string"},
        "type": {"type": "string"},
        "description": {"type": "string", "nullable": True},
        "archived": {"type": "boolean"},
        "project": {"type": "string"},
        "enabled": {"type": "boolean"},
        "stale": {"type": "boolean"},
        "favorite": {"type": "boolean"},
        "impressionData": {"type": "boolean"},
        "createdAt": _NULLABLE_DATE,
        "createdBy": ANY,
        "archivedAt": _NULLABLE_DATE,
        "environments": {"type": "array"},
        "tags": {"type": "array", "nullable": True},
        "children": {"type": "array", "items": {"type": "string"}},
        "lifecycle": ANY,
        "dependencies": {"type": "array"},
        "collaborators": ANY,
        "links": {"type": "array"},
    },
}

# Not features.schemas.FEATURE_STRATEGY: in an export, segment ids are only keys into its own
# `segments` list (mapped to stored segments by name), so 8.2 takes any number there.
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
        "sortOrder": {"type": "number"},
        "segments": {"type": "array", "items": {"type": "number"}},
        "constraints": {"type": "array", "items": CONSTRAINT_SCHEMA},
        "variants": {"type": "array", "items": STRATEGY_VARIANT},
        "parameters": PARAMETERS,
    },
}

FEATURE_ENVIRONMENT: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "enabled"],
    "properties": {
        "name": {"type": "string"},
        "featureName": {"type": "string"},
        "environment": {"type": "string"},
        "type": {"type": "string"},
        "enabled": {"type": "boolean"},
        "sortOrder": {"type": "number"},
        "variantCount": {"type": "number"},
        "strategies": {"type": "array", "items": FEATURE_STRATEGY},
        "variants": {"type": "array", "items": VARIANT},
        "changeRequestIds": {"type": "array", "items": {"type": "number"}},
        "milestoneName": {"type": "string"},
        "milestoneOrder": {"type": "number"},
        "totalMilestones": {"type": "number"},
        "lastSeenAt": _NULLABLE_DATE,
        "hasStrategies": {"type": "boolean"},
        "hasEnabledStrategies": {"type": "boolean"},
        "releasePlans": {"type": "array"},
        "safeguards": {"type": "array"},
        "yes": {"type": "integer", "minimum": 0},
        "no": {"type": "integer", "minimum": 0},
    },
}

CONTEXT_FIELD: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name"],
    "properties": {
        "name": {"type": "string"},
        "description": {"type": "string", "nullable": True},
        "stickiness": {"type": "boolean"},
        "sortOrder": {"type": "integer"},
        "createdAt": _NULLABLE_DATE,
        "usedInFeatures": {"type": "integer", "nullable": True, "minimum": 0},
        "usedInProjects": {"type": "integer", "nullable": True, "minimum": 0},
        "legalValues": {"type": "array", "items": LEGAL_VALUE},
        "project": {"type": "string"},
    },
}

FEATURE_TAG: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["featureName", "tagValue"],
    "properties": {
        "featureName": {"type": "string"},
        "tagType": {"type": "string"},
        "tagValue": {"type": "string"},
        "createdByUserId": {"type": "number", "nullable": True},
    },
}

SEGMENT_REF: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id", "name"],
    "properties": {"id": {"type": "number"}, "name": {"type": "string"}},
}

TAG_TYPE: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name"],
    "properties": {
        "name": {"type": "string"},
        "description": {"type": "string"},
        "icon": {"type": "string", "nullable": True},
        "color": {"type": "string", "nullable": True, "pattern": "^#[0-9A-Fa-f]{6}$"},
    },
}

FEATURE_DEPENDENCIES: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["feature", "dependencies"],
    "properties": {
        "feature": {"type": "string"},
        "dependencies": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["feature"],
                "properties": {
                    "feature": {"type": "string"},
                    "enabled": {"type": "boolean"},
                    "variants": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}

FEATURE_LINKS: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["feature", "links"],
    "properties": {
        "feature": {"type": "string"},
        "links": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["url"],
                "properties": {
                    "url": {"type": "string"},
                    "title": {"type": "string", "nullable": True},
                },
            },
        },
    },
}

EXPORT_RESULT: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["features", "featureStrategies", "tagTypes"],
    "properties": {
        "features": {"type": "array", "items": FEATURE},
        "featureStrategies": {"type": "array", "items": FEATURE_STRATEGY},
        "featureEnvironments": {"type": "array", "items": FEATURE_ENVIRONMENT},
        "contextFields": {"type": "array", "items": CONTEXT_FIELD},
        "featureTags": {"type": "array", "items": FEATURE_TAG},
        "segments": {"type": "array", "items": SEGMENT_REF},
        "tagTypes": {"type": "array", "items": TAG_TYPE},
        "dependencies": {"type": "array", "items": FEATURE_DEPENDENCIES},
        "links": {"type": "array", "items": FEATURE_LINKS},
    },
}

IMPORT_TOGGLES: Final[Schema] = {
    "type": "object",
    "required": ["project", "environment", "data"],
    "additionalProperties": False,
    "properties": {
        "project": {"type": "string"},
        "environment": {"type": "string"},
        "data": EXPORT_RESULT,
    },
}


class ExportResult(TypedDict):
    features: list[dict[str, Any]]
    featureStrategies: list[dict[str, Any]]
    tagTypes: list[dict[str, Any]]
    featureEnvironments: NotRequired[list[dict[str, Any]]]
    contextFields: NotRequired[list[dict[str, Any]]]
    featureTags: NotRequired[list[dict[str, Any]]]
    segments: NotRequired[list[dict[str, Any]]]
    dependencies: NotRequired[list[dict[str, Any]]]
    links: NotRequired[list[dict[str, Any]]]


class ImportToggles(TypedDict):
    project: str
    environment: str
    data: ExportResult


# -- answers ----------------------------------------------------------------------------------

VALIDATE_ITEM: Final[Schema] = obj(
    ["message", "affectedItems"], message=STRING, affectedItems=array(STRING)
)
VALIDATE_RESULT: Final[Schema] = obj(
    ["errors", "warnings"],
    errors=array(VALIDATE_ITEM),
    warnings=array(VALIDATE_ITEM),
    permissions=array(VALIDATE_ITEM),
)
EXPORTED: Final[Schema] = obj(
    ["features", "featureStrategies", "tagTypes"],
    features=array(obj(["name"], name=STRING, project=STRING, stale=BOOLEAN, archived=BOOLEAN)),
    featureStrategies=array(obj(["name"], name=STRING, id=STRING, title=NULLABLE_STRING)),
    featureEnvironments=array(obj(["name", "enabled"], name=STRING, enabled=BOOLEAN)),
    contextFields=array(obj(["name"], name=STRING, sortOrder=INTEGER)),
    featureTags=array(obj(["featureName", "tagValue"], featureName=STRING, tagValue=STRING)),
    segments=array(obj(["id", "name"], id=INTEGER, name=STRING)),
    tagTypes=array(obj(["name"], name=STRING)),
    dependencies=array(obj(["feature", "dependencies"], feature=STRING)),
    links=array(obj(["feature", "links"], feature=STRING)),
)
