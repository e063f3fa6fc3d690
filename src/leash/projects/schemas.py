"""What the project and environment lists answer (Unleash's OpenAPI names)."""

from __future__ import annotations

from typing import Final

from leash.api.openapi import OBJECT, array, obj
from leash.validation import Schema

PROJECTS: Final[Schema] = obj(["projects"], projects=array(OBJECT))
ENVIRONMENTS: Final[Schema] = obj(["environments"], environments=array(OBJECT))
