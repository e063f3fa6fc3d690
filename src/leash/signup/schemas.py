"""What public sign-up links take and answer (Unleash's OpenAPI names), and the bodies as types."""

from __future__ import annotations

from typing import Final, NotRequired, TypedDict

from leash.api.openapi import BOOLEAN, INTEGER, NULLABLE_STRING, OBJECT, STRING, array, obj
from leash.tokens.schemas import EXPIRES_AT
from leash.validation import Schema

CREATE_TOKEN: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "expiresAt"],
    "properties": {"name": {"type": "string"}, "expiresAt": EXPIRES_AT},
}


class CreateToken(TypedDict):
    name: str
    expiresAt: str


UPDATE_TOKEN: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {"expiresAt": EXPIRES_AT, "enabled": {"type": "boolean"}},
}


class UpdateToken(TypedDict):
    expiresAt: NotRequired[str]
    enabled: NotRequired[bool]


INVITED_USER: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["email", "name", "password"],
    "properties": {
        "username": {"type": "string"},
        "email": {"type": "string"},
        "name": {"type": "string"},
        "password": {"type": "string"},
    },
}


class InvitedUser(TypedDict):
    email: str
    name: str
    password: str
    username: NotRequired[str]


# -- answers ----------------------------------------------------------------------------------

TOKEN: Final[Schema] = obj(
    ["secret", "url", "name", "expiresAt", "createdAt", "createdBy", "enabled", "role"],
    secret=STRING,
    url=NULLABLE_STRING,
    name=STRING,
    enabled=BOOLEAN,
    expiresAt=STRING,
    createdAt=STRING,
    createdBy=NULLABLE_STRING,
    users=array(OBJECT),
    role=OBJECT,
)
TOKENS: Final[Schema] = obj(["tokens"], tokens=array(TOKEN))
USER: Final[Schema] = obj(["id"], id=INTEGER, name=STRING, email=STRING)
