"""One constraint checked as a strategy's would be: Joi's rules, then its operator's."""

from __future__ import annotations

from sqlalchemy import Connection

from leash import constraint_rules
from leash.context import repository
from leash.context.schemas import Constraint
from leash.errors import BadDataError


def _joi(label: str, text: str, value: object = None) -> BadDataError:
    message = constraint_rules.joi_message(label, text, value)
    return BadDataError.many([{"message": message}], with_id=False)


def check_shape(constraint: Constraint) -> None:
    """Joi's rules for one constraint; its labels name the field without a list index."""
    if constraint["contextName"] == "":
        raise _joi("contextName", "is not allowed to be empty")
    for j, item in enumerate(constraint.get("values") or []):
        if item == "":
            raise _joi(f"values[{j}]", "is not allowed to be empty")
        if len(item) > constraint_rules.MAX_VALUE_LENGTH:
            limit = constraint_rules.MAX_VALUE_LENGTH
            text = f"length must be less than or equal to {limit} characters long"
            raise _joi(f"values[{j}]", text, item)


def check_values(conn: Connection, *, constraint: Constraint) -> None:
    """The operator's rules, against the legal values of the context fields that have them."""
    legal = repository.legal_values(conn)
    constraint_rules.validate_constraint(constraint, legal_values=legal)
