"""What POST /api/admin/constraints/validate takes: one constraint (Unleash's constraintSchema)."""

from __future__ import annotations

from typing import Final, NotRequired, TypedDict

from leash.constraint_rules import CONSTRAINT_SCHEMA
from leash.validation import Schema

CONSTRAINT: Final[Schema] = CONSTRAINT_SCHEMA


class Constraint(TypedDict):
    contextName: str
    operator: str
    caseInsensitive: NotRequired[bool]
    inverted: NotRequired[bool]
    values: NotRequired[list[str]]
    value: NotRequired[str]
