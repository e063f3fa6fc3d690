"""What login, users, personal access tokens and project access take and answer (Unleash's
OpenAPI names), and the bodies as types."""

from __future__ import annotations

from typing import Any, Final, NotRequired, TypedDict

from leash.api.openapi import INTEGER, OBJECT, STRING, array, obj
from leash.tokens.schemas import EXPIRES_AT
from leash.validation import INT32, Schema

LOGIN: Final[Schema] = {
    "type": "object",
    "required": ["username", "password"],
    "properties": {"username": {"type": "string"}, "password": {"type": "string"}},
}

# Unleash's createUserSchema: a role id, or the name of a role. No bounds on the id: the service
# looks it up among the built-in roles, never in the database.


class Login(TypedDict):
    username: str
    password: str


ROOT_ROLE: Final[Schema] = {
    "oneOf": [
        {"type": "integer"},
        {"type": "string", "enum": ["Admin", "Editor", "Viewer", "Owner", "Member", "Reader"]},
    ]
}

CREATE_USER: Final[Schema] = {
    "type": "object",
    "required": ["rootRole"],
    "properties": {
        "username": {"type": "string"},
        "email": {"type": "string"},
        "name": {"type": "string"},
        "password": {"type": "string"},
        "rootRole": ROOT_ROLE,
        "sendEmail": {"type": "boolean"},
    },
}


class CreateUser(TypedDict):
    rootRole: int | str
    username: NotRequired[str]
    email: NotRequired[str]
    name: NotRequired[str]
    password: NotRequired[str]
    sendEmail: NotRequired[bool]


UPDATE_USER: Final[Schema] = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "email": {"type": "string"}},
}


class UpdateUser(TypedDict):
    name: NotRequired[str]
    email: NotRequired[str]
    # Not in the schema, so never checked: the service reads it as it does a new user's.
    rootRole: NotRequired[Any]


# Unleash's passwordSchema: an admin's change and validation read `password`; your own
# change reads all three.
PASSWORD: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["password"],
    "properties": {
        "password": {"type": "string"},
        "oldPassword": {"type": "string"},
        "confirmPassword": {"type": "string"},
    },
}


class Password(TypedDict):
    password: str
    oldPassword: NotRequired[str]
    confirmPassword: NotRequired[str]


# idSchema: the email of the user a reset link is made for (named `id` in Unleash).
EMAIL_ID: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["id"],
    "properties": {"id": {"type": "string"}},
}


class EmailId(TypedDict):
    id: str


IDS: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["ids"],
    "properties": {"ids": {"type": "array", "items": {"type": "number", "minimum": 0}}},
}


class Ids(TypedDict):
    ids: list[float]


RESET_PASSWORD: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["token", "password"],
    "properties": {"token": {"type": "string"}, "password": {"type": "string"}},
}


class ResetPassword(TypedDict):
    token: str
    password: str


VALIDATE_PASSWORD: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["password"],
    "properties": {"password": {"type": "string"}},
}


class ValidatePassword(TypedDict):
    password: str


EMAIL: Final[Schema] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["email"],
    "properties": {"email": {"type": "string"}},
}


class Email(TypedDict):
    email: str


CREATE_PAT: Final[Schema] = {
    "type": "object",
    "required": ["expiresAt", "description"],
    "properties": {"expiresAt": EXPIRES_AT, "description": {"type": "string"}},
}


class CreatePat(TypedDict):
    expiresAt: str
    description: str


ACCESS: Final[Schema] = {
    "type": "object",
    "properties": {
        "users": {
            "type": "array",
            "items": {"type": "object", "required": ["id"], "properties": {"id": INT32}},
        },
        "groups": {"type": "array"},
    },
}


class AccessUser(TypedDict):
    id: int


class Access(TypedDict):
    users: NotRequired[list[AccessUser]]
    groups: NotRequired[list[Any]]


# -- answers ----------------------------------------------------------------------------------

USER: Final[Schema] = obj(
    ["id"],
    id=INTEGER,
    name=STRING,
    username=STRING,
    email=STRING,
    rootRole=INTEGER,
)
USERS: Final[Schema] = obj(["users", "rootRoles"], users=array(USER), rootRoles=array(OBJECT))
ME: Final[Schema] = obj(["user", "permissions"], user=OBJECT, permissions=array(OBJECT))
PAT: Final[Schema] = obj(
    ["id", "description", "expiresAt", "userId"],
    id=INTEGER,
    description=STRING,
    expiresAt=STRING,
    userId=INTEGER,
)
PATS: Final[Schema] = obj(["pats"], pats=array(PAT))
NEW_PAT: Final[Schema] = {**PAT, "required": [*PAT["required"], "secret"]}
PROJECT_ACCESS: Final[Schema] = obj(
    ["roles", "users", "groups"], roles=array(OBJECT), users=array(OBJECT)
)
ROLE: Final[Schema] = obj(
    ["id", "type", "name"], id=INTEGER, type=STRING, name=STRING, description=STRING
)
PROFILE: Final[Schema] = obj(
    ["rootRole", "projects", "groups", "features", "subscriptions", "canChangePassword"],
    rootRole=ROLE,
    projects=array(STRING),
    groups=array(OBJECT),
    subscriptions=array(STRING),
    features=array(OBJECT),
    canChangePassword={"type": "boolean"},
)
ROLES: Final[Schema] = obj(["version", "roles"], version=INTEGER, roles=array(ROLE))
ADMIN_COUNT: Final[Schema] = obj(
    ["password", "noPassword", "service"],
    password={"type": "number"},
    noPassword={"type": "number"},
    service={"type": "number"},
)
USERS_SEARCH: Final[Schema] = array(USER)
USERS_GROUPS_BASE: Final[Schema] = obj([], users=array(USER), groups=array(OBJECT))
RESET_LINK: Final[Schema] = obj(["resetPasswordUrl"], resetPasswordUrl=STRING)
INACTIVE_USERS: Final[Schema] = obj(
    ["version", "inactiveUsers"], version=INTEGER, inactiveUsers=array(OBJECT)
)
TOKEN_USER: Final[Schema] = obj(
    ["id", "email", "token", "createdBy", "role"],
    id=INTEGER,
    name=STRING,
    email=STRING,
    token=STRING,
    createdBy={"type": "string", "nullable": True},
    role=ROLE,
)
