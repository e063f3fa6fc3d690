"""Clone a flag, as Unleash's cloneFeatureToggle: a new flag with the source's type,
description and impression data, its strategies (groupId renamed unless told not to), its
environment variants and its dependencies; every environment starts disabled."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from leash.clone import repository
from leash.clone.schemas import CloneFeature
from leash.errors import NotFoundError
from leash.features import flags, strategies
from leash.features import repository as features
from leash.features.checks import validate_name
from leash.features.events import record
from leash.features.schemas import CreateFeature, CreateFeatureStrategy
from leash.features.strategies import Limits
from leash.identity import Actor


def source(conn: Connection, *, project: str, name: str) -> Any:
    """The flag to clone, in the path's project (not saying where else it is, as Unleash)."""
    row = features.get_flag(conn, name=name)
    if row is None or row.project != project:
        raise NotFoundError(f'There\'s no feature named "{name}" in project "{project}".')
    return row


def environments_needing(conn: Connection, *, name: str) -> tuple[list[str], list[str]]:
    """(environments with strategies, environments with variants) of the source: the clone
    needs the permission to create strategies, or to set variants, in each."""
    with_strategies = list(
        dict.fromkeys(s.environment for s in features.strategies_of(conn, names=[name]))
    )
    with_variants = [
        env for env, v in repository.environment_variants(conn, name=name).items() if v
    ]
    return with_strategies, with_variants


def check_clonable(conn: Connection, *, name: str, new_name: str) -> None:
    """Unleash's order: the new name first, then the source must not be archived."""
    validate_name(conn, name=new_name)
    row = features.get_flag(conn, name=name)
    if row is None or row.archived_at is not None:
        raise NotFoundError(f"Could not find feature flag with name {name}")


def clone(
    conn: Connection,
    *,
    project: str,
    name: str,
    body: CloneFeature,
    actor: Actor,
    limits: Limits,
) -> dict[str, Any]:
    row = features.get_flag(conn, name=name)
    new_name = body["name"]
    create: CreateFeature = {
        "name": new_name,
        "type": row.type,
        "description": row.description,
        "impressionData": bool(row.impression_data),
    }
    created = flags.create_flag(conn, project=project, body=create, actor=actor)
    for environment, variants in repository.environment_variants(conn, name=name).items():
        if variants:
            repository.set_environment_variants(
                conn, name=new_name, environment=environment, variants=variants
            )
    for parent in repository.parents_of(conn, child=name):
        enabled = bool(parent.enabled)
        wanted = list(parent.variants or []) if enabled else None
        repository.add_dependency(
            conn, parent=parent.parent, child=new_name, enabled=enabled, variants=wanted
        )
        data: dict[str, Any] = {"feature": parent.parent, "enabled": enabled}
        if wanted is not None:
            data["variants"] = wanted
        record(
            conn,
            actor=actor,
            type="feature-dependency-added",
            feature_name=new_name,
            project=project,
            data=data,
        )
    replace_group_id = body.get("replaceGroupId", True)
    strategy_rows = features.strategies_of(conn, names=[name])
    segments = features.segment_ids(conn, strategy_ids=[s.id for s in strategy_rows])
    for strategy in strategy_rows:
        parameters = dict(strategy.parameters or {})
        if replace_group_id and "groupId" in parameters:
            parameters["groupId"] = new_name
        copy: CreateFeatureStrategy = {
            "name": strategy.strategy_name,
            "title": strategy.title,
            "disabled": bool(strategy.disabled),
            "sortOrder": strategy.sort_order,
            "constraints": list(strategy.constraints or []),
            "variants": list(strategy.variants or []),
            "parameters": parameters,
            "segments": segments.get(strategy.id, []),
        }
        strategies.create_strategy(
            conn,
            project=project,
            name=new_name,
            environment=strategy.environment,
            body=copy,
            actor=actor,
            limits=limits,
        )
    return created
