"""Strategy definition rules: Unleash's Joi schema after the OpenAPI one, built-ins read-only,
events. What a flag strategy may name is `known`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from leash import constraint_rules
from leash.errors import BadDataError, InvalidOperationError, NameExistsError, NotFoundError
from leash.events import service as events
from leash.identity import Actor
from leash.strategy_definitions import repository
from leash.strategy_definitions.schemas import CreateStrategy, Strategy, UpdateStrategy

NAME_MAX_LENGTH = 100
# The keys Unleash's Joi schema knows, in its order; anything else is stripped.
_KEYS = ("name", "title", "disabled", "editable", "deprecated", "description", "parameters")
_PARAMETER_KEYS = ("name", "type", "description", "required")


def list_all(conn: Connection) -> dict[str, Any]:
    return {"version": 1, "strategies": repository.list_all(conn)}


def _no_strategy() -> NotFoundError:
    return NotFoundError("No strategy found")


def get(conn: Connection, *, name: str, lock: bool = False) -> Strategy:
    found = repository.get(conn, name=name, lock=lock)
    if found is None:
        raise _no_strategy()
    return found


def known(conn: Connection, *, name: str) -> bool:
    """Is there a definition (built-in or custom, deprecated or not) of this strategy name?"""
    return repository.exists(conn, name=name)


# --- Unleash's Joi schema (abortEarly: false, stripUnknown) ---


def _url_friendly(name: str) -> bool:
    # encodeURIComponent leaves exactly these characters alone.
    return quote(name, safe="-_.!~*'()") == name and name not in (".", "..")


def _name_problem(name: Any) -> str | None:
    if not isinstance(name, str):
        return constraint_rules.joi_message("name", "must be a string", name)
    if name == "":
        return constraint_rules.joi_message("name", "is not allowed to be empty")
    if not _url_friendly(name):
        return constraint_rules.joi_message("name", "must be URL friendly", name)
    if len(name) > NAME_MAX_LENGTH:
        return constraint_rules.joi_message(
            "name", f"length must be less than or equal to {NAME_MAX_LENGTH} characters long", name
        )
    return None


def _boolean(value: Any) -> bool | None:
    """Joi's boolean() with its conversion of "true" and "false"; None when not a boolean."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def _parameters(items: Any, problems: list[str]) -> list[dict[str, Any]]:
    if not isinstance(items, list):
        problems.append(constraint_rules.joi_message("parameters", "must be an array", items))
        return []
    stripped: list[dict[str, Any]] = []
    for i, item in enumerate(items):
        label = f"parameters[{i}]"
        if not isinstance(item, Mapping):
            problems.append(constraint_rules.joi_message(label, "must be of type object", item))
            continue
        for key in ("name", "type"):
            value = item.get(key)
            if key not in item:
                problems.append(constraint_rules.joi_message(f"{label}.{key}", "is required"))
            elif not isinstance(value, str):
                problems.append(
                    constraint_rules.joi_message(f"{label}.{key}", "must be a string", value)
                )
            elif value == "":
                problems.append(
                    constraint_rules.joi_message(f"{label}.{key}", "is not allowed to be empty")
                )
        kept = {key: item[key] for key in item if key in _PARAMETER_KEYS}
        if "required" in kept:
            converted = _boolean(kept["required"])
            if converted is None:
                problems.append(
                    constraint_rules.joi_message(
                        f"{label}.required", "must be a boolean", kept["required"]
                    )
                )
            kept["required"] = converted
        description = kept.get("description")
        if description is not None and not isinstance(description, str):
            problems.append(
                constraint_rules.joi_message(
                    f"{label}.description", "must be a string", description
                )
            )
        stripped.append(kept)
    return stripped


def _validated(value: Mapping[str, Any]) -> dict[str, Any]:
    """The body as Unleash's Joi schema returns it (unknown keys stripped, the defaults of
    `editable` and `deprecated` added), or 400 listing every problem."""
    problems: list[str] = []
    valid: dict[str, Any] = {key: value[key] for key in value if key in _KEYS}
    if "name" not in valid:
        problems.append(constraint_rules.joi_message("name", "is required"))
    else:
        name_problem = _name_problem(valid["name"])
        if name_problem is not None:
            problems.append(name_problem)
    for key in ("title", "description"):
        text = valid.get(key)
        if text is not None and not isinstance(text, str):
            problems.append(constraint_rules.joi_message(key, "must be a string", text))
    for key in ("disabled", "editable", "deprecated"):
        if key in valid and not (key == "disabled" and valid[key] is None):
            converted = _boolean(valid[key])
            if converted is None:
                problems.append(constraint_rules.joi_message(key, "must be a boolean", valid[key]))
            valid[key] = converted
    if "parameters" not in valid:
        problems.append(constraint_rules.joi_message("parameters", "is required"))
    else:
        valid["parameters"] = _parameters(valid["parameters"], problems)
    if problems:
        raise BadDataError.many([{"message": problem} for problem in problems], with_id=False)
    valid.setdefault("editable", True)
    valid.setdefault("deprecated", False)
    return valid


def _editable(strategy: Strategy) -> None:
    # Unleash throws a plain Error here (a 500, "UnknownError"); leash keeps its words but
    # answers what it is: a change refused outright.
    if not strategy["editable"]:
        raise InvalidOperationError(f"Cannot edit strategy {strategy['name']}")


# --- writes ---


def create(conn: Connection, *, body: CreateStrategy, actor: Actor) -> Strategy:
    strategy = _validated(body)
    strategy["deprecated"] = False
    name: str = strategy["name"]
    if repository.exists(conn, name=name):
        raise _exists(name)
    try:
        with conn.begin_nested():
            repository.insert_strategy(
                conn,
                name=name,
                description=strategy.get("description"),
                title=strategy.get("title"),
                parameters=strategy["parameters"],
            )
    except IntegrityError:
        # Another request took the name between our check and the insert.
        raise _exists(name) from None
    events.record(conn, actor=actor, type="strategy-created", data=strategy)
    return get(conn, name=name)


def _exists(name: str) -> NameExistsError:
    return NameExistsError(f"Strategy with name {name} already exist!")


def update(conn: Connection, *, name: str, body: UpdateStrategy, actor: Actor) -> None:
    # Unleash validates {...body, name: <the path's name>}: the path's name wins.
    value = _validated({**body, "name": name})
    stored = get(conn, name=name, lock=True)
    _editable(stored)
    # Keys not sent keep their stored values (knex leaves undefined columns alone).
    changes: dict[str, Any] = {"parameters": value["parameters"]}
    for key in ("description", "title"):
        if key in value:
            changes[key] = value[key]
    repository.update_strategy(conn, name=name, values=changes)
    events.record(conn, actor=actor, type="strategy-updated", data=value)


def deprecate(conn: Connection, *, name: str, actor: Actor) -> None:
    if repository.get(conn, name=name, lock=True) is None:
        raise NotFoundError(f"Could not find strategy with name {name}")
    repository.set_deprecated(conn, name=name, deprecated=True)
    events.record(conn, actor=actor, type="strategy-deprecated", data={"name": name})


def reactivate(conn: Connection, *, name: str, actor: Actor) -> None:
    get(conn, name=name, lock=True)
    repository.set_deprecated(conn, name=name, deprecated=False)
    events.record(conn, actor=actor, type="strategy-reactivated", data={"name": name})


def delete(conn: Connection, *, name: str, actor: Actor) -> None:
    stored = get(conn, name=name, lock=True)
    _editable(stored)
    # Flag strategies naming it stay (Unleash has no foreign key there either): SDKs keep
    # getting them, and server-side evaluation treats an unknown strategy as off.
    repository.delete_strategy(conn, name=name)
    events.record(conn, actor=actor, type="strategy-deleted", data={"name": name})
