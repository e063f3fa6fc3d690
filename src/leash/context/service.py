"""Context rules: one constraint checked as a strategy's would be (Joi's rules, then its
operator's); context fields, their legal values and their events."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from leash import constraint_rules
from leash.context import repository, rules
from leash.context.schemas import Constraint, CreateContextField, LegalValue, UpdateContextField
from leash.errors import BadDataError, ConflictError, NameExistsError, NotFoundError
from leash.events import service as events
from leash.identity import Actor
from leash.projects import repository as projects


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


# -- context fields -------------------------------------------------------------------------


def _field_not_found(name: str) -> NotFoundError:
    return NotFoundError(f"Could not find context field with name {name}")


def get_field(conn: Connection, *, name: str, lock: bool = False) -> dict[str, Any]:
    field = repository.get(conn, name=name, lock=lock)
    if field is None:
        raise _field_not_found(name)
    return field


def _belongs(field: dict[str, Any], project: str | None) -> None:
    """Through a project's API, only that project's fields (Unleash's 404 otherwise)."""
    if project is not None and field.get("project") != project:
        raise NotFoundError(f"Could not find context field {field['name']} in project {project}")


def list_fields(
    conn: Connection, *, project: str | None, include: str | None
) -> list[dict[str, Any]]:
    """The root fields; with include=project every project's too (all of them: OSS has no
    private projects). Through a project's API its own fields; with include=root the root
    ones too. `include` is compared case-insensitively, as Unleash's /^root$/i."""
    wanted = (include or "").lower()
    fields = repository.list_with_usage(conn)
    if project is not None:
        return [
            f
            for f in fields
            if f.get("project") == project or (wanted == "root" and not f.get("project"))
        ]
    if wanted == "project":
        return fields
    return [f for f in fields if not f.get("project")]


def strategies_using(conn: Connection, *, name: str) -> dict[str, Any]:
    return {"strategies": repository.strategies_using(conn, name=name)}


def _name_exists() -> NameExistsError:
    return NameExistsError("A context field with that name already exist")


def validate_name(conn: Connection, *, name: str) -> None:
    rules.check_name(name)
    if repository.get(conn, name=name) is not None:
        raise _name_exists()


def _check_project(conn: Connection, project: str | None) -> None:
    # Unleash lets the foreign key refuse it, a 500; leash answers as for segments.
    if project and not projects.exists(conn, project_id=project):
        raise NotFoundError(f'Could not find project with id "{project}"')


def create_field(conn: Connection, *, body: CreateContextField, actor: Actor) -> dict[str, Any]:
    """Unleash's order: the name's uniqueness (409), then Joi's rules (400)."""
    if repository.get(conn, name=body["name"]) is not None:
        raise _name_exists()
    validated = rules.context_field(body)
    _check_project(conn, body.get("project"))
    values = {
        "name": body["name"],
        "description": body.get("description"),
        "stickiness": bool(body.get("stickiness")),
        "sort_order": body.get("sortOrder") or 0,
        "legal_values": validated.get("legalValues") or [],
        "project": body.get("project") or None,
    }
    try:
        with conn.begin_nested():
            created = repository.insert_field(conn, values=values)
    except IntegrityError:
        # Another request took the name between the check and the insert.
        raise _name_exists() from None
    _record(conn, actor=actor, type="context-field-created", data=validated)
    return created


def update_field(
    conn: Connection,
    *,
    name: str,
    body: UpdateContextField,
    project: str | None,
    actor: Actor,
) -> None:
    """The whole field replaced, as Unleash's update does: a missing description is kept, but
    legal values and stickiness not sent are cleared, and the sort order is reset to 0
    (Unleash's Joi schema knows no sortOrder and strips it before the store sees it)."""
    previous = get_field(conn, name=name, lock=True)
    _belongs(previous, project)
    validated = rules.context_field({**body, "name": name})
    target = validated.get("project") or None
    _check_project(conn, target)
    values: dict[str, Any] = {
        "stickiness": bool(validated.get("stickiness")),
        "sort_order": 0,
        "legal_values": validated.get("legalValues") or [],
    }
    if "description" in validated:
        values["description"] = validated["description"]
    if target is not None:
        values["project"] = target
    repository.update_field(conn, name=name, values=values)
    pre_data = {k: v for k, v in previous.items() if k not in ("createdAt", "sortOrder")}
    _record(conn, actor=actor, type="context-field-updated", data=validated, pre_data=pre_data)


def _replace_legal_values(
    conn: Connection,
    *,
    previous: dict[str, Any],
    legal_values: list[dict[str, Any]],
    actor: Actor,
) -> None:
    repository.update_field(conn, name=previous["name"], values={"legal_values": legal_values})
    current = {**previous, "legalValues": legal_values}
    _record(conn, actor=actor, type="context-field-updated", data=current, pre_data=previous)


def put_legal_value(
    conn: Connection,
    *,
    name: str,
    legal_value: LegalValue,
    project: str | None,
    actor: Actor,
) -> None:
    """A value added at the end, or the one with the same value replaced (description too)."""
    previous = get_field(conn, name=name, lock=True)
    _belongs(previous, project)
    checked = rules.legal_value(legal_value)
    values = list(previous["legalValues"])
    for i, item in enumerate(values):
        if isinstance(item, dict) and item.get("value") == checked["value"]:
            values[i] = checked
            break
    else:
        values.append(checked)
    _replace_legal_values(conn, previous=previous, legal_values=values, actor=actor)


def delete_legal_value(
    conn: Connection, *, name: str, value: str, project: str | None, actor: Actor
) -> None:
    """Unleash records the update even when no legal value had that value."""
    previous = get_field(conn, name=name, lock=True)
    _belongs(previous, project)
    values = [
        item
        for item in previous["legalValues"]
        if not (isinstance(item, dict) and item.get("value") == value)
    ]
    _replace_legal_values(conn, previous=previous, legal_values=values, actor=actor)


def delete_field(conn: Connection, *, name: str, project: str | None, actor: Actor) -> None:
    previous = get_field(conn, name=name, lock=True)
    _belongs(previous, project)
    if repository.strategies_using(conn, name=name):
        raise ConflictError(
            "This context field is in use by existing flags. To delete it, first remove its "
            "usage from all flags."
        )
    repository.delete_field(conn, name=name)
    _record(conn, actor=actor, type="context-field-deleted", pre_data=previous)


def _record(
    conn: Connection,
    *,
    actor: Actor,
    type: str,
    data: dict[str, Any] | None = None,
    pre_data: dict[str, Any] | None = None,
) -> None:
    # Unleash runs these writes in a transaction (groupType "transaction") and stores the
    # events without a project, a project-specific field's too; it drops an event whose data
    # equals its preData (a change that changed nothing).
    if data is not None and pre_data is not None and data == pre_data:
        return
    events.record(conn, actor=actor, type=type, data=data, pre_data=pre_data, grouped=True)
