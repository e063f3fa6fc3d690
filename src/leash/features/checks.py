"""What a flag or strategy write must satisfy before it is stored, in Unleash's words and
order: names, flag metadata, strategy types, segments, constraints, parameters and variants.
(Parameter values leash refuses beyond Unleash are leash.features.parameters.)"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection

from leash import constraint_rules
from leash.context import repository as context_repository
from leash.errors import BadDataError, ExceedsLimitError, NameExistsError
from leash.features import repository
from leash.features.schemas import StrategyVariant
from leash.features.views import stringify
from leash.segments import service as segments
from leash.strategy_definitions import service as strategy_definitions

# Unleash's resource limits for strategies (its defaults; leash has no setting for them yet).
CONSTRAINTS_PER_STRATEGY = 30
VALUES_PER_CONSTRAINT = 250
NAME_MAX_LENGTH = 100


# --- names ---


def _joi(label: str, text: str, value: Any = None) -> BadDataError:
    return BadDataError.many(
        [{"message": constraint_rules.joi_message(label, text, value)}], with_id=False
    )


def _url_friendly(name: str) -> bool:
    # encodeURIComponent leaves exactly these characters alone.
    return quote(name, safe="-_.!~*'()") == name and name not in (".", "..")


def check_name(name: str) -> None:
    if name == "":
        raise _joi("name", "is not allowed to be empty")
    if not _url_friendly(name):
        raise _joi("name", "must be URL friendly", name)
    if len(name) > NAME_MAX_LENGTH:
        raise _joi(
            "name", f"length must be less than or equal to {NAME_MAX_LENGTH} characters long", name
        )


def validate_name(conn: Connection, *, name: str) -> None:
    check_name(name)
    existing = repository.get_flag(conn, name=name)
    if existing is not None:
        if existing.archived_at is not None:
            raise NameExistsError("An archived flag with that name already exists")
        raise NameExistsError("A flag with that name already exists")


# --- flag metadata ---


_BOOLEAN_STRINGS = {"true": True, "false": False}


def flag_metadata(document: dict[str, Any]) -> dict[str, Any]:
    """Joi's featureMetadataSchema (defaults, conversions, every error at once)."""
    errors: list[dict[str, str]] = []
    result: dict[str, Any] = {}
    name = document.get("name")
    if not isinstance(name, str):
        errors.append({"message": constraint_rules.joi_message("name", "must be a string", name)})
    for key in ("stale", "archived"):
        value = document.get(key, False)
        value = _BOOLEAN_STRINGS.get(value, value) if isinstance(value, str) else value
        if not isinstance(value, bool):
            errors.append(
                {"message": constraint_rules.joi_message(key, "must be a boolean", value)}
            )
        result[key] = value
    type = document.get("type", "release")
    if not isinstance(type, str):
        errors.append({"message": constraint_rules.joi_message("type", "must be a string", type)})
    elif type == "":
        errors.append(
            {"message": constraint_rules.joi_message("type", "is not allowed to be empty")}
        )
    result["type"] = type
    if "description" in document:
        description = document["description"]
        if description is not None and not isinstance(description, str):
            errors.append(
                {
                    "message": constraint_rules.joi_message(
                        "description", "must be a string", description
                    )
                }
            )
        result["description"] = description
    impression = document.get("impressionData", False)
    impression = (
        _BOOLEAN_STRINGS.get(impression, impression) if isinstance(impression, str) else impression
    )
    if not isinstance(impression, bool):
        errors.append(
            {
                "message": constraint_rules.joi_message(
                    "impressionData", "must be a boolean", impression
                )
            }
        )
    result["impressionData"] = impression
    if errors:
        raise BadDataError.many(errors, with_id=False)
    return result


# --- strategies ---


def check_strategy_type(conn: Connection, name: str | None) -> None:
    """A flag strategy names a strategy definition: a built-in or a custom one, deprecated
    ones included (Unleash accepts those)."""
    if name is not None and not strategy_definitions.known(conn, name=name):
        raise BadDataError.single(f"Could not find strategy type with name {name}")


def check_segments(conn: Connection, *, project: str, segment_ids: list[int] | None) -> None:
    """Every segment must exist (404) and be global or of this project (400)."""
    if not segment_ids:
        return
    # Share-locked, so none of them moves to another project before the strategy is written.
    found = [segments.get(conn, segment_id=int(sid), lock="share") for sid in segment_ids]
    mismatched = [s for s in found if s.get("project") and s["project"] != project]
    if mismatched:
        listed = ",".join(f"{s['name']} with id {s['id']}" for s in mismatched)
        raise BadDataError.single(f'The segments {listed} does not belong to project "{project}"')


def check_constraints(
    conn: Connection, constraints: list[dict[str, Any]], *, existing: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    if len(constraints) > CONSTRAINTS_PER_STRATEGY and len(constraints) > len(existing):
        raise ExceedsLimitError(
            "Failed to create constraints. You can't create more than the established limit "
            f"of {CONSTRAINTS_PER_STRATEGY}."
        )
    same_length = len(existing) == len(constraints)
    for i, constraint in enumerate(constraints):
        count = len(constraint.get("values") or [])
        before = len(existing[i].get("values") or []) if i < len(existing) else 0
        if (
            isinstance(constraint.get("values"), list)
            and count > VALUES_PER_CONSTRAINT
            and not (same_length and before >= count)
        ):
            raise ExceedsLimitError(
                f"Failed to create constraint values for {constraint['contextName']}. You can't "
                f"create more than the established limit of {VALUES_PER_CONSTRAINT}."
            )
    legal = context_repository.legal_values(conn)
    checked = []
    for constraint in constraints:
        # Unleash validates strategy constraints one by one, so Joi labels carry no index.
        if constraint.get("contextName") == "":
            raise _joi("contextName", "is not allowed to be empty")
        for j, item in enumerate(constraint.get("values") or []):
            if item == "":
                raise _joi(f"values[{j}]", "is not allowed to be empty")
            if len(item) > constraint_rules.MAX_VALUE_LENGTH:
                raise _joi(
                    f"values[{j}]",
                    "length must be less than or equal to "
                    f"{constraint_rules.MAX_VALUE_LENGTH} characters long",
                    item,
                )
        constraint_rules.validate_constraint(constraint, legal_values=legal)
        checked.append(constraint_rules.normalise(constraint))
    return checked


def strategy_parameters(
    *, name: str, strategy_name: str | None, parameters: dict[str, Any] | None
) -> dict[str, str]:
    """The parameters as stored: strings, with the defaults Unleash gives a flexibleRollout."""
    values = stringify(parameters) if parameters is not None else None
    if strategy_name == "flexibleRollout":
        values = dict(values or {})
        stickiness = values.get("stickiness") or "default"
        values["rollout"] = values.get("rollout", "100")
        values["stickiness"] = stickiness
        # An empty groupId is the flag's name too (Unleash: `params.groupId || featureName`).
        values["groupId"] = values.get("groupId") or name
        return values
    return values or {}


def _fix_variant_weights(variants: list[StrategyVariant]) -> list[dict[str, Any]]:
    variable = [v for v in variants if v.get("weightType", "variable") == "variable"]
    if variants and not variable:
        raise BadDataError.single('There must be at least one "variable" variant')
    fixed: list[dict[str, Any]] = [dict(v) for v in variants if v.get("weightType") == "fix"]
    fixed_weight = sum(int(v.get("weight", 0)) for v in fixed)
    if fixed_weight > 1000:
        raise BadDataError.single("The traffic distribution total must equal 100%")
    if not variable:
        return []
    share, remainder = divmod(1000 - fixed_weight, len(variable))
    result: list[dict[str, Any]] = []
    for variant in variable:
        fixed_variant: dict[str, Any] = {**variant, "weight": share + (1 if remainder > 0 else 0)}
        remainder -= 1 if remainder > 0 else 0
        result.append(fixed_variant)
    return sorted([*result, *fixed], key=lambda v: (str(v["name"]).lower(), str(v["name"])))


def checked_variants(variants: list[StrategyVariant] | None) -> list[dict[str, Any]]:
    if not variants:
        return []
    seen: set[str] = set()
    for i, variant in enumerate(variants):
        name = variant["name"]
        if name in seen:
            raise _joi(f"[{i}]", "contains a duplicate value")
        seen.add(name)
    return _fix_variant_weights(variants)
