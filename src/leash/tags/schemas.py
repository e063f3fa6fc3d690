"""What the tag APIs take and answer (Unleash 8.2's OpenAPI schemas), and the bodies as types."""

from __future__ import annotations

from typing import Final, NotRequired, TypedDict

from leash.api.openapi import BOOLEAN, INTEGER, NULLABLE_STRING, STRING, array, obj
from leash.validation import Schema

COLOR: Final[Schema] = {"type": "string", "pattern": "^#[0-9A-Fa-f]{6}$"}
NULLABLE_COLOR: Final[Schema] = {**COLOR, "nullable": True}

# tagTypeSchema: createTagType and validateTagType.
TAG_TYPE: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name"],
    "properties": {
        "name": {"type": "string"},
        "description": {"type": "string"},
        "icon": {"type": "string", "nullable": True},
        "color": NULLABLE_COLOR,
    },
}


class TagType(TypedDict):
    name: str
    description: NotRequired[str]
    icon: NotRequired[str | None]
    color: NotRequired[str | None]


# updateTagTypeSchema: no additionalProperties rule; the name is the path's.
UPDATE_TAG_TYPE: Schema = {
    "type": "object",
    "properties": {
        "description": {"type": "string"},
        "icon": {"type": "string"},
        "color": COLOR,
    },
}


class UpdateTagType(TypedDict):
    description: NotRequired[str]
    icon: NotRequired[str]
    color: NotRequired[str]


# createTagSchema: the value is trimmed before it is stored, so its pattern allows whitespace
# around 2 to 50 characters.
CREATE_TAG: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["value", "type"],
    "properties": {
        "value": {"type": "string", "pattern": "^\\s*\\S.{0,48}\\S\\s*$"},
        "type": {"type": "string", "minLength": 2, "maxLength": 50},
        "color": NULLABLE_COLOR,
    },
}

# tagSchema: a flag's tag, stored as sent (untrimmed).
TAG: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["value", "type"],
    "properties": {
        "value": {"type": "string", "minLength": 2, "maxLength": 50},
        "type": {"type": "string", "minLength": 2, "maxLength": 50},
        "color": NULLABLE_COLOR,
    },
}


class Tag(TypedDict):
    value: str
    type: str
    color: NotRequired[str | None]


UPDATE_TAGS: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["addedTags", "removedTags"],
    "properties": {"addedTags": array(TAG), "removedTags": array(TAG)},
}


class UpdateTags(TypedDict):
    addedTags: list[Tag]
    removedTags: list[Tag]


TAGS_BULK_ADD: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["features", "tags"],
    "properties": {
        "features": array({"type": "string", "minLength": 1}),
        "tags": UPDATE_TAGS,
    },
}


class TagsBulkAdd(TypedDict):
    features: list[str]
    tags: UpdateTags


# -- answers ----------------------------------------------------------------------------------

TAG_TYPE_ANSWER: Final[Schema] = obj(
    ["name"],
    name=STRING,
    description=NULLABLE_STRING,
    icon=NULLABLE_STRING,
    color=NULLABLE_STRING,
)
TAG_TYPES: Final[Schema] = obj(
    ["version", "tagTypes"], version=INTEGER, tagTypes=array(TAG_TYPE_ANSWER)
)
# Unleash documents getTagType as a bare tagTypeSchema but sends it wrapped, as here.
TAG_TYPE_WITH_VERSION: Final[Schema] = obj(
    ["version", "tagType"], version=INTEGER, tagType=TAG_TYPE_ANSWER
)
VALIDATE_TAG_TYPE: Final[Schema] = obj(["valid", "tagType"], valid=BOOLEAN, tagType=TAG_TYPE_ANSWER)
TAG_ANSWER: Final[Schema] = obj(["value", "type"], value=STRING, type=STRING, color=NULLABLE_STRING)
TAGS: Final[Schema] = obj(["version", "tags"], version=INTEGER, tags=array(TAG_ANSWER))
TAG_WITH_VERSION: Final[Schema] = obj(["version", "tag"], version=INTEGER, tag=TAG_ANSWER)
