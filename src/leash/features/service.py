"""Flag and strategy rules, worded and ordered as Unleash's feature-toggle service does."""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import orjson
from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from leash import changelog
from leash import constraints as constraint_rules
from leash.auth import ADMIN_TOKEN_USER_ID, SYSTEM_USER_ID, Actor
from leash.context import repository as context_repository
from leash.db.base import iso, utcnow
from leash.errors import (
    BadDataError,
    ExceedsLimitError,
    LeashError,
    NameExistsError,
    NotFoundError,
    PlainStatus,
)
from leash.events import service as events
from leash.features import parameters as parameter_rules
from leash.features import repository
from leash.projects import repository as projects
from leash.segments import repository as segments_repository
from leash.segments import service as segments
from leash.users import repository as users_repository

# Unleash's resource limits for strategies (its defaults; leash has no setting for them yet).
STRATEGIES_PER_ENVIRONMENT = 30
CONSTRAINTS_PER_STRATEGY = 30
VALUES_PER_CONSTRAINT = 250
NAME_MAX_LENGTH = 100
BUILT_IN_STRATEGIES = ("default", "applicationHostname", "remoteAddress", "flexibleRollout")


class InvalidOperationError(LeashError):
    status_code = 403
    name = "InvalidOperationError"


class OperationDeniedError(LeashError):
    status_code = 403
    name = "OperationDeniedError"


class ArchivedFeatureError(LeashError):
    status_code = 400
    name = "ArchivedFeatureError"


@dataclass(frozen=True)
class Limits:
    strategy_segments: int


# --- events ---


def _record(
    conn: Connection,
    *,
    actor: Actor,
    type: str,
    feature_name: str,
    project: str,
    environment: str | None = None,
    data: Any = None,
    pre_data: Any = None,
) -> None:
    # Unleash drops an event whose data equals its preData: a no-op change leaves no trace.
    if data is not None and pre_data is not None and data == pre_data:
        # Except in the change log: rows the event does not describe may still have moved.
        changelog.note(conn, feature_name=feature_name)
        return
    events.record(
        conn,
        actor=actor,
        type=type,
        data=data,
        pre_data=pre_data,
        project=project,
        feature_name=feature_name,
        environment=environment,
        tags=repository.tags_of(conn, name=feature_name),
        grouped=True,
    )


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


# --- flags as JSON ---


def flag_json(row: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": row.name,
        "description": row.description,
        "type": row.type,
        "project": row.project,
        "stale": bool(row.stale),
        "createdAt": iso(row.created_at),
        "lastSeenAt": iso(row.last_seen_at),
        "impressionData": bool(row.impression_data),
    }
    if row.archived_at is not None:
        body["archivedAt"] = iso(row.archived_at)
    body["archived"] = row.archived_at is not None
    return body


def _image_url(ident: str) -> str:
    from leash.users.service import sha256

    return f"https://gravatar.com/avatar/{sha256(ident.strip().lower())}?s=42&d=retro&r=g"


def _user_ref(conn: Connection, user_id: int | None) -> dict[str, Any] | None:
    """A user as flags show creators and collaborators: {id, name, imageUrl}."""
    if user_id == ADMIN_TOKEN_USER_ID:
        name = "Unleash Admin Token User"
        return {"id": user_id, "name": name, "imageUrl": _image_url(name)}
    if user_id == SYSTEM_USER_ID:
        return {
            "id": user_id,
            "name": "Unleash System",
            "imageUrl": _image_url("system@getunleash.io"),
        }
    if user_id is None:
        return None
    row = users_repository.user(conn, user_id=user_id)
    if row is None:
        return None
    name = row.name or row.username or row.email or "unknown"
    return {"id": row.id, "name": name, "imageUrl": _image_url(row.email or name)}


def strategy_json(row: Any, segment_ids: list[int]) -> dict[str, Any]:
    """The strategy as POST and GET .../strategies/{id} answer it."""
    return {
        "id": row.id,
        "name": row.strategy_name,
        "constraints": row.constraints or [],
        "parameters": _stringify(row.parameters),
        "variants": row.variants or [],
        "segments": segment_ids,
        "title": row.title,
        "disabled": bool(row.disabled),
        "sortOrder": row.sort_order,
    }


def _strategy_event_json(row: Any, segment_ids: list[int]) -> dict[str, Any]:
    """Unleash's featureStrategyToPublic: PUT answers and strategy events."""
    return {
        "id": row.id,
        "name": row.strategy_name,
        "title": row.title,
        "disabled": bool(row.disabled),
        "constraints": row.constraints or [],
        "parameters": _stringify(row.parameters),
        "variants": row.variants or [],
        "sortOrder": row.sort_order,
        "segments": segment_ids,
    }


def _stringify(parameters: dict[str, Any] | None) -> dict[str, str]:
    """Unleash's ensureStringValue: every parameter value is served as a string."""
    result: dict[str, str] = {}
    for key, value in (parameters or {}).items():
        if value is None:
            result[key] = ""
        elif isinstance(value, bool):
            result[key] = "true" if value else "false"
        elif isinstance(value, dict | list):
            result[key] = orjson.dumps(value).decode()
        elif isinstance(value, float) and value.is_integer():
            result[key] = str(int(value))
        else:
            result[key] = str(value)
    return result


# --- flags ---


def _belongs(conn: Connection, *, name: str, project: str) -> Any:
    row = repository.get_flag(conn, name=name)
    if row is None or row.project != project:
        suffix = (
            "."
            if row is None
            else f', but there\'s a feature with that name in project "{row.project}"'
        )
        raise NotFoundError(f'There\'s no feature named "{name}" in project "{project}"{suffix}')
    return row


def _stored(conn: Connection, *, name: str) -> Any:
    row = repository.get_flag(conn, name=name)
    if row is None:
        raise NotFoundError("No feature flag found")
    return row


def create_flag(
    conn: Connection, *, project: str, body: dict[str, Any], actor: Actor
) -> dict[str, Any]:
    validate_name(conn, name=body["name"])
    if not projects.exists(conn, project_id=project):
        raise NotFoundError(f"Active project with id {project} does not exist")
    try:
        with conn.begin_nested():
            repository.insert_flag(
                conn,
                name=body["name"],
                project=project,
                type=body.get("type") or "release",
                # Unleash stores an empty description as null.
                description=body.get("description") or None,
                impression_data=bool(body.get("impressionData", False)),
                created_by=actor.name,
                created_by_user_id=actor.user_id,
            )
    except IntegrityError:
        # Another request created the name between the check and the insert (PostgreSQL
        # waits for it to commit, then refuses ours): answer as if it had come first.
        validate_name(conn, name=body["name"])
        raise
    repository.connect_environments(conn, name=body["name"], project=project)
    created = flag_json(_stored(conn, name=body["name"]))
    _record(
        conn,
        actor=actor,
        type="feature-created",
        feature_name=body["name"],
        project=project,
        data=created,
    )
    return created


def list_flags(conn: Connection, *, project: str) -> dict[str, Any]:
    rows = repository.list_flags(conn, project=project)
    envs = repository.flag_environments(conn, names=[row.name for row in rows])
    features = []
    for row in rows:
        features.append(
            {
                "type": row.type,
                "description": row.description,
                "favorite": False,
                "name": row.name,
                "createdAt": iso(row.created_at),
                "stale": bool(row.stale),
                "impressionData": bool(row.impression_data),
                "lastSeenAt": iso(row.last_seen_at),
                "environments": [
                    {
                        "name": env.environment,
                        "enabled": bool(env.enabled),
                        "type": env.environment_type,
                        "sortOrder": env.environment_sort_order,
                        "variantCount": len(env.variants or []),
                        "lastSeenAt": iso(env.last_seen_at),
                        "hasStrategies": bool(env.has_strategies),
                        "hasEnabledStrategies": bool(env.has_enabled_strategies),
                    }
                    for env in envs.get(row.name, [])
                ],
            }
        )
    return {"version": 2, "features": features}


def get_flag(conn: Connection, *, project: str, name: str) -> dict[str, Any]:
    row = _belongs(conn, name=name, project=project)
    if row.archived_at is not None:
        raise NotFoundError(f"Could not find feature flag with name {name}")
    strategies = repository.strategies_of(conn, names=[name])
    links = repository.segment_ids(conn, strategy_ids=[s.id for s in strategies])
    environments = []
    variants: dict[str, Any] = {}
    last_seen = row.last_seen_at
    for env in repository.flag_environments(conn, names=[name]).get(name, []):
        for variant in sorted(env.variants or [], key=lambda v: str(v.get("name"))):
            variants[variant.get("name")] = variant
        if env.last_seen_at is not None and (last_seen is None or env.last_seen_at > last_seen):
            last_seen = env.last_seen_at
        environments.append(
            {
                "name": env.environment,
                "lastSeenAt": iso(env.last_seen_at),
                "enabled": bool(env.enabled),
                "yes": 0,
                "no": 0,
                "type": env.environment_type,
                "sortOrder": env.environment_sort_order,
                "strategies": [
                    {
                        "name": s.strategy_name,
                        "constraints": s.constraints or [],
                        "variants": s.variants or [],
                        "parameters": _stringify(s.parameters),
                        "segments": links.get(s.id, []),
                        "sortOrder": s.sort_order,
                        "id": s.id,
                        "title": s.title,
                        "disabled": bool(s.disabled),
                    }
                    for s in strategies
                    if s.environment == env.environment
                ],
            }
        )
    body: dict[str, Any] = {
        "environments": environments,
        "name": row.name,
        "impressionData": bool(row.impression_data),
        "description": row.description,
        "project": row.project,
        "stale": bool(row.stale),
        "createdAt": iso(row.created_at),
    }
    creator = _user_ref(conn, row.created_by_user_id)
    if creator is not None:
        body["createdBy"] = creator
    body["type"] = row.type
    body["lastSeenAt"] = iso(last_seen)
    body["variants"] = list(variants.values())
    body["archived"] = False
    body["dependencies"] = [
        {"feature": dep.parent, "enabled": bool(dep.enabled), "variants": dep.variants or []}
        for dep in repository.dependencies_of(conn, name=name)
    ]
    body["children"] = repository.children_of(conn, name=name)
    # Unleash tracks lifecycle stages from SDK metrics; leash knows only the first one.
    body["lifecycle"] = {"stage": "initial", "enteredStageAt": iso(row.created_at)}
    body["links"] = []
    collaborators = [_user_ref(conn, uid) for uid in repository.collaborator_ids(conn, name=name)]
    body["collaborators"] = {"users": [c for c in collaborators if c is not None]}
    return body


_BOOLEAN_STRINGS = {"true": True, "false": False}


def _metadata(document: dict[str, Any]) -> dict[str, Any]:
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


def _update_metadata(
    conn: Connection, *, project: str, name: str, document: dict[str, Any], actor: Actor
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Unleash's updateFeatureToggle; returns (before, after) as flag JSON."""
    _belongs(conn, name=name, project=project)
    data = _metadata(document)
    previous = flag_json(_stored(conn, name=name))
    repository.update_flag(
        conn,
        name=name,
        values={
            # As Unleash's store: a missing or empty description is written as null, and the
            # `archived` flag of the body decides archived_at.
            "description": data.get("description") or None,
            "type": data["type"],
            "archived_at": utcnow() if data["archived"] else None,
            "stale": data["stale"],
            "impression_data": data["impressionData"],
        },
    )
    current = flag_json(_stored(conn, name=name))
    _record(
        conn,
        actor=actor,
        type="feature-metadata-updated",
        feature_name=name,
        project=project,
        data=current,
        pre_data=previous,
    )
    return previous, current


def update_flag(
    conn: Connection, *, project: str, name: str, body: dict[str, Any], actor: Actor
) -> dict[str, Any]:
    if body.get("name") and body["name"] != name:
        raise BadDataError.single("Cannot change name of feature flag")
    document = {k: v for k, v in body.items() if k != "createdAt"}
    document["name"] = name
    return _update_metadata(conn, project=project, name=name, document=document, actor=actor)[1]


def _pointer(path: str) -> str:
    """The top-level key a JSON pointer names (flag documents are flat)."""
    key = path[1:] if path.startswith("/") else path
    return key.split("/", 1)[0].replace("~1", "/").replace("~0", "~")


def _apply_patch(document: dict[str, Any], operations: list[dict[str, Any]]) -> dict[str, Any]:
    result = copy.deepcopy(document)
    for index, operation in enumerate(operations):
        op, key = operation["op"], _pointer(operation["path"])
        if op in ("add", "replace"):
            result[key] = operation.get("value")
        elif op == "remove":
            result.pop(key, None)
        elif op in ("copy", "move"):
            source = _pointer(str(operation.get("from", "")))
            value = result.get(source)
            if op == "move":
                result.pop(source, None)
            result[key] = copy.deepcopy(value)
        elif op == "test" and result.get(key) != operation.get("value"):
            # fast-json-patch's error escapes Unleash's handlers as an UnknownError.
            shown = {k: v for k, v in operation.items()}
            message = (
                "Test operation failed\nname: TEST_OPERATION_FAILED\n"
                f"index: {index}\noperation: {_pretty(shown)}\ntree: {_pretty(document)}"
            )
            raise LeashError(message)
    return result


def _pretty(value: Any) -> str:
    import json

    return json.dumps(value, indent=2, ensure_ascii=False)


def patch_flag(
    conn: Connection, *, project: str, name: str, operations: list[dict[str, Any]], actor: Actor
) -> dict[str, Any]:
    original = flag_json(_stored(conn, name=name))
    if any("/variants" in operation["path"] for operation in operations):
        raise OperationDeniedError(
            "Changing variants is done via PATCH operation to "
            "/api/admin/projects/:project/features/:feature/variants"
        )
    document = _apply_patch(original, operations)
    previous, current = _update_metadata(
        conn, project=project, name=name, document=document, actor=actor
    )
    if previous["stale"] != current["stale"]:
        _record(
            conn,
            actor=actor,
            type="feature-stale-on" if current["stale"] else "feature-stale-off",
            feature_name=name,
            project=project,
        )
    return current


def archive_flag(conn: Connection, *, project: str, name: str, actor: Actor) -> None:
    row = _stored(conn, name=name)
    _belongs(conn, name=name, project=project)
    if repository.children_of(conn, name=name):
        raise InvalidOperationError(
            "You can not archive/delete this feature since other features depend on it."
        )
    repository.archive(conn, name=name, at=utcnow())
    _record(conn, actor=actor, type="feature-archived", feature_name=name, project=row.project)


# --- environments ---


def set_enabled(
    conn: Connection,
    *,
    project: str,
    name: str,
    environment: str,
    enabled: bool,
    actor: Actor,
    limits: Limits,
) -> None:
    _belongs(conn, name=name, project=project)
    # Locked: two toggles at once must not both add the default strategy below.
    if repository.lock_feature_environment(conn, name=name, environment=environment) is None:
        raise NotFoundError(f"Could not find environment {environment} for feature: {name}")
    if repository.get_flag(conn, name=name).archived_at is not None:
        raise ArchivedFeatureError("Cannot perform this operation on archived features")
    if enabled and repository.env_has_only_disabled(
        conn, name=name, environment=environment, project=project
    ):
        # Unleash turns a flag on with a 100% rollout when nothing else would let anyone in.
        create_strategy(
            conn,
            project=project,
            name=name,
            environment=environment,
            body={
                "name": "flexibleRollout",
                "constraints": [],
                "disabled": False,
                "parameters": {"rollout": "100", "stickiness": "default", "groupId": name},
            },
            actor=actor,
            limits=limits,
        )
    if repository.set_enabled(conn, name=name, environment=environment, enabled=enabled):
        _record(
            conn,
            actor=actor,
            type="feature-environment-enabled" if enabled else "feature-environment-disabled",
            feature_name=name,
            project=project,
            environment=environment,
        )


def _disable_if_only_disabled(
    conn: Connection, *, project: str, name: str, environment: str, actor: Actor
) -> None:
    """Unleash's optionallyDisableFeature after a strategy is changed or removed."""
    if not repository.env_has_only_disabled(
        conn, name=name, environment=environment, project=project
    ):
        return
    flag = repository.get_flag(conn, name=name)
    if flag is None or flag.project != project:
        return
    if repository.feature_environment(conn, name=name, environment=environment) is None:
        raise NotFoundError(f"Could not find environment {environment} for feature: {name}")
    if flag.archived_at is not None:
        raise ArchivedFeatureError("Cannot perform this operation on archived features")
    if repository.set_enabled(conn, name=name, environment=environment, enabled=False):
        _record(
            conn,
            actor=actor,
            type="feature-environment-disabled",
            feature_name=name,
            project=project,
            environment=environment,
        )


# --- strategies ---


def _check_strategy_type(name: str | None) -> None:
    if name is not None and name not in BUILT_IN_STRATEGIES:
        raise BadDataError.single(f"Could not find strategy type with name {name}")


def _check_segments(conn: Connection, *, project: str, segment_ids: list[int] | None) -> None:
    """Every segment must exist (404) and be global or of this project (400)."""
    if not segment_ids:
        return
    # Share-locked, so none of them moves to another project before the strategy is written.
    found = [segments.get(conn, segment_id=int(sid), lock="share") for sid in segment_ids]
    mismatched = [s for s in found if s.get("project") and s["project"] != project]
    if mismatched:
        listed = ",".join(f"{s['name']} with id {s['id']}" for s in mismatched)
        raise BadDataError.single(f'The segments {listed} does not belong to project "{project}"')


def _check_constraints(
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


def _parameters(
    *, name: str, strategy_name: str | None, parameters: dict[str, Any] | None
) -> dict[str, str]:
    values = _stringify(parameters) if parameters is not None else None
    if strategy_name == "flexibleRollout":
        values = dict(values or {})
        stickiness = values.get("stickiness") or "default"
        values["rollout"] = values.get("rollout", "100")
        values["stickiness"] = stickiness
        values["groupId"] = values.get("groupId", name)
        return values
    return values or {}


def _fix_variant_weights(variants: list[dict[str, Any]]) -> list[dict[str, Any]]:
    variable = [v for v in variants if v.get("weightType", "variable") == "variable"]
    if variants and not variable:
        raise BadDataError.single('There must be at least one "variable" variant')
    fixed = [v for v in variants if v.get("weightType") == "fix"]
    fixed_weight = sum(int(v.get("weight", 0)) for v in fixed)
    if fixed_weight > 1000:
        raise BadDataError.single("The traffic distribution total must equal 100%")
    if not variable:
        return []
    share, remainder = divmod(1000 - fixed_weight, len(variable))
    result = []
    for variant in variable:
        fixed_variant = {**variant, "weight": share + (1 if remainder > 0 else 0)}
        remainder -= 1 if remainder > 0 else 0
        result.append(fixed_variant)
    return sorted([*result, *fixed], key=lambda v: (str(v["name"]).lower(), str(v["name"])))


def _variants(variants: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    if not variants:
        return []
    seen: set[str] = set()
    for i, variant in enumerate(variants):
        name = variant["name"]
        if name in seen:
            raise _joi(f"[{i}]", "contains a duplicate value")
        seen.add(name)
    return _fix_variant_weights(variants)


def _strategy_or_404(conn: Connection, *, strategy_id: str, separator: str) -> Any:
    row = repository.get_strategy(conn, strategy_id=strategy_id)
    if row is None:
        raise NotFoundError(f"Could not find strategy with id{separator}{strategy_id}")
    return row


def _links(conn: Connection, strategy_id: str) -> list[int]:
    return segments_repository.segment_ids_of_strategy(conn, strategy_id=strategy_id)


def create_strategy(
    conn: Connection,
    *,
    project: str,
    name: str,
    environment: str,
    body: dict[str, Any],
    actor: Actor,
    limits: Limits,
) -> dict[str, Any]:
    _belongs(conn, name=name, project=project)
    # Locked before counting, so racing adds see each other and the limit holds; and before
    # the segments, in the one lock order of strategy writes (_strategy_in_path).
    feature_environment = repository.lock_feature_environment(
        conn, name=name, environment=environment
    )
    _check_strategy_type(body["name"])
    segment_ids = body.get("segments")
    _check_segments(conn, project=project, segment_ids=segment_ids)
    constraints = body.get("constraints") or []
    if constraints:
        constraints = _check_constraints(conn, constraints, existing=[])
    parameters = _parameters(
        name=name, strategy_name=body["name"], parameters=body.get("parameters")
    )
    parameter_rules.check(strategy_name=body["name"], parameters=parameters)
    variants = _variants(body.get("variants"))
    if len(
        repository.strategies_of(conn, names=[name], environment=environment, project=project)
    ) >= (STRATEGIES_PER_ENVIRONMENT):
        raise ExceedsLimitError(
            "Failed to create strategy. You can't create more than the established limit of "
            f"{STRATEGIES_PER_ENVIRONMENT}."
        )
    if feature_environment is None:
        raise BadDataError.single("You have not added the current environment to the project")
    sort_order = body.get("sortOrder")
    strategy_id = str(uuid.uuid4())
    repository.insert_strategy(
        conn,
        strategy_id=strategy_id,
        name=name,
        project=project,
        environment=environment,
        strategy_name=body["name"],
        title=body.get("title"),
        disabled=bool(body.get("disabled") or False),
        parameters=parameters,
        constraints=constraints,
        variants=variants,
        sort_order=(
            int(sort_order)
            if sort_order is not None
            else repository.next_sort_order(conn, name=name, environment=environment)
        ),
        created_by_user_id=actor.user_id,
    )
    if isinstance(segment_ids, list):
        _set_segments(conn, strategy_id=strategy_id, segment_ids=segment_ids, limits=limits)
    row = _strategy_or_404(conn, strategy_id=strategy_id, separator=": ")
    linked = _links(conn, strategy_id)
    _record(
        conn,
        actor=actor,
        type="feature-strategy-add",
        feature_name=name,
        project=project,
        environment=environment,
        data=_strategy_event_json(row, linked),
    )
    return strategy_json(row, linked)


def _set_segments(
    conn: Connection, *, strategy_id: str, segment_ids: list[int], limits: Limits
) -> None:
    wanted = list(dict.fromkeys(int(sid) for sid in segment_ids))
    segments.check_strategy_segments(
        conn,
        segment_ids=wanted,
        limits=segments.Limits(
            segment_values=0, strategy_segments=limits.strategy_segments, segments=0
        ),
    )
    segments_repository.set_strategy_segments(conn, strategy_id=strategy_id, segment_ids=wanted)


def strategy_to_relink(conn: Connection, *, strategy_id: str) -> Any:
    """The stored strategy POST /api/admin/segments/strategies changes, locked; 404 if none."""
    found = repository.get_strategy(conn, strategy_id=strategy_id)
    if found is None:
        raise NotFoundError(f"Could not find strategy with id {strategy_id}")
    # Its environment row first, then the strategy: the lock order of _strategy_in_path.
    repository.lock_feature_environment(
        conn, name=found.feature_name, environment=found.environment
    )
    row = repository.get_strategy(conn, strategy_id=strategy_id, for_update=True)
    if row is None:
        raise NotFoundError(f"Could not find strategy with id {strategy_id}")
    return row


def relink_segments(
    conn: Connection, *, strategy: Any, segment_ids: list[int], actor: Actor, limits: Limits
) -> None:
    """Replace a strategy's segments (the bulk segments endpoint), with the strategy's event.

    Unleash 8.2 writes no event for this write (checked on the reference); leash writes the
    feature-strategy-update a PUT of the strategy writes, because every change to what SDKs
    are served belongs in the audit log. `_record` notes the change log either way (a no-op
    set drops the event, not the note), so other processes' snapshots see the new links.
    """
    previous = _strategy_event_json(strategy, _links(conn, strategy.id))
    _set_segments(conn, strategy_id=strategy.id, segment_ids=segment_ids, limits=limits)
    # After the limit and existence checks of _set_segments, as every strategy write orders
    # them; a refusal rolls the new links back with the transaction. Unleash does not check
    # this here, but another project's segment would reach this project's SDK tokens.
    _check_segments(conn, project=strategy.project_name, segment_ids=segment_ids)
    _record(
        conn,
        actor=actor,
        type="feature-strategy-update",
        feature_name=strategy.feature_name,
        project=strategy.project_name,
        environment=strategy.environment,
        data=_strategy_event_json(strategy, _links(conn, strategy.id)),
        pre_data=previous,
    )


def list_strategies(
    conn: Connection, *, project: str, name: str, environment: str
) -> list[dict[str, Any]]:
    if repository.feature_environment(conn, name=name, environment=environment) is None:
        raise NotFoundError(f"Feature {name} does not have environment {environment}")
    rows = repository.strategies_of(conn, names=[name], environment=environment, project=project)
    links = repository.segment_ids(conn, strategy_ids=[row.id for row in rows])
    return [
        {
            "id": row.id,
            "name": row.strategy_name,
            "constraints": row.constraints or [],
            "parameters": _stringify(row.parameters),
            "variants": row.variants or [],
            "title": row.title,
            "disabled": bool(row.disabled),
            "sortOrder": row.sort_order,
            "milestoneId": None,
            "segments": links.get(row.id, []),
        }
        for row in rows
    ]


def get_strategy(
    conn: Connection, *, project: str, name: str, environment: str, strategy_id: str
) -> dict[str, Any]:
    row = _strategy_or_404(conn, strategy_id=strategy_id, separator=": ")
    if row.project_name != project or row.feature_name != name:
        # Unleash's answer to a strategy asked for through another flag or project.
        raise PlainStatus(403)
    _same_environment(row, environment=environment, separator=": ")
    return strategy_json(row, _links(conn, strategy_id))


def _same_context(row: Any, *, project: str, name: str) -> None:
    if row.project_name != project:
        raise InvalidOperationError("You can not change the projectId for an activation strategy.")
    if row.feature_name != name:
        raise InvalidOperationError(
            "You can not change the featureName for an activation strategy."
        )


def _same_environment(row: Any, *, environment: str, separator: str) -> None:
    """A strategy exists only in its own environment.

    Unleash 8.2 ignores the path's environment, so a change through development reaches a
    production strategy (and deleting it there leaves production on with no strategy, on for
    everyone). leash answers as if the strategy were not there; since the path's project and
    flag are checked too, the caller's permission (checked on the path) is the one on the
    stored strategy's project and environment.
    """
    if row.environment != environment:
        raise NotFoundError(f"Could not find strategy with id{separator}{row.id}")


def _strategy_in_path(
    conn: Connection, *, project: str, name: str, environment: str, strategy_id: str
) -> Any:
    """The strategy to change, locked, reached through its own project, flag and environment."""
    # The environment row first, as every strategy write takes it: one lock order, no deadlock.
    repository.lock_feature_environment(conn, name=name, environment=environment)
    row = repository.get_strategy(conn, strategy_id=strategy_id, for_update=True)
    if row is None:
        raise NotFoundError(f"Could not find strategy with id={strategy_id}")
    _same_context(row, project=project, name=name)
    _same_environment(row, environment=environment, separator="=")
    return row


def update_strategy(
    conn: Connection,
    *,
    project: str,
    name: str,
    environment: str,
    strategy_id: str,
    body: dict[str, Any],
    actor: Actor,
    limits: Limits,
) -> dict[str, Any]:
    existing = _strategy_in_path(
        conn, project=project, name=name, environment=environment, strategy_id=strategy_id
    )
    _check_strategy_type(body.get("name"))
    segment_ids = body.get("segments")
    _check_segments(conn, project=project, segment_ids=segment_ids)
    previous = _strategy_event_json(existing, _links(conn, strategy_id))
    constraints = body.get("constraints") or []
    if constraints:
        constraints = _check_constraints(conn, constraints, existing=existing.constraints or [])
    parameters = _parameters(
        name=name, strategy_name=body.get("name"), parameters=body.get("parameters")
    )
    parameter_rules.check(
        strategy_name=body.get("name") or existing.strategy_name, parameters=parameters
    )
    values: dict[str, Any] = {
        # As Unleash's store: a missing name/title/disabled keeps the stored one, while
        # parameters, constraints and variants are always replaced.
        "parameters": parameters,
        "constraints": constraints,
        "variants": _variants(body.get("variants")),
    }
    for key, column in (("name", "strategy_name"), ("title", "title"), ("disabled", "disabled")):
        if body.get(key) is not None:
            values[column] = body[key]
    repository.update_strategy(conn, strategy_id=strategy_id, values=values)
    if isinstance(segment_ids, list):
        _set_segments(conn, strategy_id=strategy_id, segment_ids=segment_ids, limits=limits)
    row = _strategy_or_404(conn, strategy_id=strategy_id, separator="=")
    current = _strategy_event_json(row, _links(conn, strategy_id))
    _record(
        conn,
        actor=actor,
        type="feature-strategy-update",
        feature_name=name,
        project=project,
        environment=environment,
        data=current,
        pre_data=previous,
    )
    _disable_if_only_disabled(
        conn, project=project, name=name, environment=environment, actor=actor
    )
    return current


def delete_strategy(
    conn: Connection, *, project: str, name: str, environment: str, strategy_id: str, actor: Actor
) -> None:
    existing = _strategy_in_path(
        conn, project=project, name=name, environment=environment, strategy_id=strategy_id
    )
    previous = _strategy_event_json(existing, [])
    repository.delete_strategy(conn, strategy_id=strategy_id)
    _disable_if_only_disabled(
        conn, project=project, name=name, environment=environment, actor=actor
    )
    _record(
        conn,
        actor=actor,
        type="feature-strategy-remove",
        feature_name=name,
        project=project,
        environment=environment,
        pre_data=previous,
    )
    if not repository.has_strategies(conn, name=name, environment=environment):
        repository.set_enabled(conn, name=name, environment=environment, enabled=False)
