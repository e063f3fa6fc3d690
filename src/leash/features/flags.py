"""Flags: create, read, update and archive, as Unleash's feature-toggle service does."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from leash.archive import service as archive
from leash.db.base import iso, utcnow
from leash.errors import BadDataError, NotFoundError
from leash.favorites import repository as favorites
from leash.features import repository
from leash.features.checks import flag_metadata, validate_name
from leash.features.events import record
from leash.features.schemas import CreateFeature, Tag, UpdateFeature
from leash.features.views import flag_json, stringify, user_ref
from leash.identity import Actor
from leash.lifecycle import repository as lifecycle
from leash.lifecycle import service as lifecycle_service
from leash.links import service as feature_links
from leash.projects import repository as projects
from leash.tags import repository as tag_store


def in_project(conn: Connection, *, name: str, project: str) -> Any:
    """The flag, reached through the path's project: writes check the permission on that
    project, so a flag of another project is not there (404)."""
    row = repository.get_flag(conn, name=name)
    if row is None or row.project != project:
        suffix = (
            "."
            if row is None
            else f', but there\'s a feature with that name in project "{row.project}"'
        )
        raise NotFoundError(f'There\'s no feature named "{name}" in project "{project}"{suffix}')
    return row


def stored(conn: Connection, *, name: str) -> Any:
    """The flag by its name alone, archived or not: Unleash's patch and archive find it so,
    before they check the path's project."""
    row = repository.get_flag(conn, name=name)
    if row is None:
        raise NotFoundError("No feature flag found")
    return row


def create_flag(
    conn: Connection, *, project: str, body: CreateFeature, actor: Actor
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
    _tag_new_flag(conn, name=body["name"], tags=body.get("tags") or [], actor=actor)
    lifecycle.enter(conn, names=[body["name"]], stage="initial")
    created = flag_json(stored(conn, name=body["name"]))
    record(
        conn,
        actor=actor,
        type="feature-created",
        feature_name=body["name"],
        project=project,
        data=created,
    )
    return created


def _tag_new_flag(conn: Connection, *, name: str, tags: list[Tag], actor: Actor) -> None:
    """createFeature's `tags`, as Unleash 8.2's tagFeatures: existing tags only (none is made),
    a repeated one once, no event of their own (the flag's feature-created event lists them).
    A tag that does not exist is a foreign key violation (a 500) in Unleash; leash answers
    404 in the words of Unleash's tag lookup, and the flag is not created."""
    for tag in tags:
        if not tag_store.tag_flag(
            conn, name=name, type=tag["type"], value=tag["value"], user_id=actor.user_id
        ):
            raise NotFoundError(f"No tag with type: [{tag['type']}] and value [{tag['value']}]")


def list_flags(conn: Connection, *, project: str, user_id: int | None) -> dict[str, Any]:
    """`user_id`: the calling user's (None for an API token: nothing is a favorite)."""
    rows = repository.list_flags(conn, project=project)
    favorite = favorites.favorite_features_of(conn, user_id=user_id)
    envs = repository.flag_environments(conn, names=[row.name for row in rows])
    features = []
    for row in rows:
        features.append(
            {
                "type": row.type,
                "description": row.description,
                "favorite": row.name in favorite,
                "name": row.name,
                "createdAt": iso(row.created_at),
                "stale": bool(row.stale),
                "impressionData": bool(row.impression_data),
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


def get_flag(
    conn: Connection,
    *,
    project: str,
    name: str,
    user_id: int | None,
    environment_variants: bool = False,
) -> dict[str, Any]:
    """`user_id`: the calling user's; Unleash shows `favorite` to users only, not to tokens."""
    row = in_project(conn, name=name, project=project)
    if row.archived_at is not None:
        raise NotFoundError(f"Could not find feature flag with name {name}")
    strategies = repository.strategies_of(conn, names=[name])
    links = repository.segment_ids(conn, strategy_ids=[s.id for s in strategies])
    environments = []
    for env in repository.flag_environments(conn, names=[name]).get(name, []):
        # Unleash 8.2 shows environment variants only when asked (?variantEnvironments=true).
        shown = (
            {"variants": sorted(env.variants or [], key=lambda v: str(v.get("name")))}
            if environment_variants
            else {}
        )
        environments.append(
            {
                **shown,
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
                        "parameters": stringify(s.parameters),
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
    }
    if user_id is not None:
        body["favorite"] = name in favorites.favorite_features_of(conn, user_id=user_id)
    body |= {
        "impressionData": bool(row.impression_data),
        "description": row.description,
        "project": row.project,
        "stale": bool(row.stale),
        "createdAt": iso(row.created_at),
    }
    creator = user_ref(conn, row.created_by_user_id)
    if creator is not None:
        body["createdBy"] = creator
    # Unleash 8.2 shows neither a flag-level lastSeenAt nor variants here: variants live per
    # environment, and last seen is per environment.
    body["type"] = row.type
    body["archived"] = False
    body["dependencies"] = [
        {"feature": dep.parent, "enabled": bool(dep.enabled), "variants": dep.variants or []}
        for dep in repository.dependencies_of(conn, name=name)
    ]
    body["children"] = repository.children_of(conn, name=name)
    stage = lifecycle_service.current_stage(conn, name=name)
    if stage is not None:  # Unleash leaves the key out for a flag with no stage
        body["lifecycle"] = stage
    body["links"] = feature_links.links_json(conn, feature=name)
    collaborators = [user_ref(conn, uid) for uid in repository.collaborator_ids(conn, name=name)]
    body["collaborators"] = {"users": [c for c in collaborators if c is not None]}
    return body


def update_metadata(
    conn: Connection, *, project: str, name: str, document: dict[str, Any], actor: Actor
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Unleash's updateFeatureToggle; returns (before, after) as flag JSON."""
    in_project(conn, name=name, project=project)
    data = flag_metadata(document)
    previous = flag_json(stored(conn, name=name))
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
    current = flag_json(stored(conn, name=name))
    record(
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
    conn: Connection, *, project: str, name: str, body: UpdateFeature, actor: Actor
) -> dict[str, Any]:
    if body.get("name") and body["name"] != name:
        raise BadDataError.single("Cannot change name of feature flag")
    document: dict[str, Any] = {k: v for k, v in body.items() if k != "createdAt"}
    document["name"] = name
    return update_metadata(conn, project=project, name=name, document=document, actor=actor)[1]


def archive_flag(conn: Connection, *, project: str, name: str, actor: Actor) -> None:
    stored(conn, name=name)
    in_project(conn, name=name, project=project)
    # The one place flags are archived, one or many.
    archive.archive_one(conn, name=name, project=project, actor=actor)
