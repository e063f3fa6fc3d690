"""Request schemas of login, users, personal access tokens and project access (Unleash's
OpenAPI names), published by /docs/openapi.json and checked by the routes."""

from typing import Final

from leash.tokens.schemas import EXPIRES_AT
from leash.validation import INT32, Schema

LOGIN: Final[Schema] = {
    "type": "object",
    "required": ["username", "password"],
    "properties": {"username": {"type": "string"}, "password": {"type": "string"}},
}

# Unleash's createUserSchema: a role id, or the name of a role. No bounds on the id: the service
# looks it up among the built-in roles, never in the database.
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

UPDATE_USER: Final[Schema] = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "email": {"type": "string"}},
}

PASSWORD: Final[Schema] = {
    "type": "object",
    "required": ["password"],
    "properties": {"password": {"type": "string"}},
}

CREATE_PAT: Final[Schema] = {
    "type": "object",
    "required": ["expiresAt", "description"],
    "properties": {"expiresAt": EXPIRES_AT, "description": {"type": "string"}},
}

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
