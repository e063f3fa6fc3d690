"""What the API-token endpoints take and answer (Unleash's OpenAPI names), and the bodies as
types."""

from __future__ import annotations

from typing import Final, NotRequired, TypedDict

from leash.api.openapi import STRING, array, obj
from leash.validation import STORED_DATE_TIME, Schema

TYPE_PATTERN: Final = (
    "^([Cc][Ll][Ii][Ee][Nn][Tt]|[Bb][Aa][Cc][Kk][Ee][Nn][Dd]|[Ff][Rr][Oo][Nn][Tt][Ee][Nn][Dd])$"
)

# A date-time leash can store: ajv's format, then the years Python's datetime holds (Unleash
# stores any year PostgreSQL does; leash answers a 400 beyond 0001-9999 instead of a 500).
EXPIRES_AT: Final[Schema] = {"type": "string", "format": "date-time", STORED_DATE_TIME: True}

# Unleash's createApiTokenSchema: an object, then a oneOf of one merged branch, so every
# failure inside it is reported with ajv's oneOf error after it.
CREATE_API_TOKEN: Final[Schema] = {
    "type": "object",
    "oneOf": [
        {
            "type": "object",
            "required": ["type", "tokenName"],
            "properties": {
                "expiresAt": EXPIRES_AT,
                "type": {"type": "string", "pattern": TYPE_PATTERN},
                "environment": {"type": "string"},
                "project": {"type": "string"},
                "projects": {"type": "array", "items": {"type": "string"}},
                "tokenName": {"type": "string"},
            },
        }
    ],
}

# Unleash's createProjectApiTokenSchema (no oneOf here: ajv's errors come plain).
CREATE_PROJECT_API_TOKEN: Final[Schema] = {
    "type": "object",
    "required": ["tokenName", "type"],
    "properties": {
        "type": {"type": "string", "pattern": TYPE_PATTERN},
        "environment": {"type": "string"},
        "expiresAt": EXPIRES_AT,
        "tokenName": {"type": "string"},
    },
}


class CreateProjectApiToken(TypedDict):
    type: str
    tokenName: str
    expiresAt: NotRequired[str]
    environment: NotRequired[str]


UPDATE_API_TOKEN: Final[Schema] = {
    "type": "object",
    "required": ["expiresAt"],
    "properties": {"expiresAt": EXPIRES_AT},
}


class CreateApiToken(TypedDict):
    type: str
    tokenName: str
    expiresAt: NotRequired[str]
    environment: NotRequired[str]
    project: NotRequired[str]
    projects: NotRequired[list[str]]


class UpdateApiToken(TypedDict):
    expiresAt: str


# -- answers ----------------------------------------------------------------------------------

API_TOKEN: Final[Schema] = obj(
    ["secret", "tokenName", "type"], secret=STRING, tokenName=STRING, type=STRING
)
API_TOKENS: Final[Schema] = obj(["tokens"], tokens=array(API_TOKEN))
