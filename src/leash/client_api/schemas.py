"""What the client API's features endpoints take and answer."""

from __future__ import annotations

from typing import Final

from leash.api.openapi import BOOLEAN, INTEGER, STRING, array, obj
from leash.validation import Schema

# Checked by Unleash's Joi rules (leash.client_api.query_rules), not by the schema.
FEATURES_QUERY: Final[dict[str, Schema]] = {
    "project": array(STRING),
    "namePrefix": STRING,
    "tag": array(STRING),
    "environment": STRING,
}

# -- answers ----------------------------------------------------------------------------------

CLIENT_FEATURE: Final[Schema] = obj(
    ["name", "enabled", "strategies"],
    name=STRING,
    enabled=BOOLEAN,
    strategies=array(obj(["name"], name=STRING)),
)
CLIENT_FEATURES: Final[Schema] = obj(
    ["version", "features"], version=INTEGER, features=array(CLIENT_FEATURE)
)
