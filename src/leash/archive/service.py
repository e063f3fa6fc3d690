"""Archive, revive and delete flags, one or many, as Unleash's feature-toggle service does.

The one place a flag is archived: the single archive (`DELETE .../features/{name}`, in
features.flags) and the bulk one both call `archive`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from leash.archive import repository
from leash.db.base import iso, utcnow
from leash.errors import InvalidOperationError, NotFoundError
from leash.events import service as events
from leash.features import repository as features
from leash.features.events import record
from leash.identity import Actor
from leash.lifecycle import repository as lifecycle
from leash.projects import repository as projects

_ONE_DEPENDED_ON = "You can not archive/delete this feature since other features depend on it."
_MANY_DEPENDED_ON = "You can not archive/delete those features since other features depend on them."


def _belong_to(conn: Connection, *, names: list[str], project: str) -> list[Any]:
    """The flags of `names` that exist; every one must be in `project` (Unleash's
    validateFeaturesContext)."""
    rows = repository.flags_named(conn, names=names)
    others = list(dict.fromkeys(row.project for row in rows if row.project != project))
    if others:
        raise InvalidOperationError(
            "The operation could not be completed. The features exist, but the provided "
            f'project ids ("{",".join(others)}") does not match the project provided in '
            f'request URL ("{project}").'
        )
    return rows


def _no_orphans(conn: Connection, *, names: list[str]) -> None:
    if names and repository.orphan_parents(conn, names=names):
        raise InvalidOperationError(_MANY_DEPENDED_ON if len(names) > 1 else _ONE_DEPENDED_ON)


def validate_archive(conn: Connection, *, names: list[str]) -> dict[str, Any]:
    return {
        "parentsWithChildFeatures": repository.orphan_parents(conn, names=names),
        "hasDeletedDependencies": repository.have_dependencies(conn, names=names),
    }


def archive_one(conn: Connection, *, name: str, project: str, actor: Actor) -> None:
    """The flag is known to be in `project`; archived again if it already was (as Unleash)."""
    _no_orphans(conn, names=[name])
    if features.children_of(conn, name=name):
        raise InvalidOperationError(_ONE_DEPENDED_ON)
    _archive(conn, names=[name], project=project, actor=actor)


def archive_many(conn: Connection, *, names: list[str], project: str, actor: Actor) -> None:
    """Flags already archived, or that do not exist, are left alone."""
    rows = _belong_to(conn, names=names, project=project)
    _no_orphans(conn, names=names)
    active = [row.name for row in rows if row.archived_at is None]
    _archive(conn, names=active, project=project, actor=actor)


def _archive(conn: Connection, *, names: list[str], project: str, actor: Actor) -> None:
    if not names:
        return
    repository.set_archived_at(conn, names=names, at=utcnow())
    # An archived child no longer depends on anything: its dependencies go, each with its event.
    children = repository.children_with_parents(conn, names=names, project=project)
    repository.delete_dependencies_of(conn, children=children)
    for child in children:
        record(
            conn,
            actor=actor,
            type="feature-dependencies-removed",
            feature_name=child,
            project=project,
        )
    for name in names:
        record(conn, actor=actor, type="feature-archived", feature_name=name, project=project)
    lifecycle.enter(conn, names=names, stage="archived")


def _active_project(conn: Connection, *, project: str) -> None:
    if not projects.exists(conn, project_id=project):
        raise NotFoundError(f"Active project with id {project} does not exist")


def revive_one(conn: Connection, *, name: str, actor: Actor) -> None:
    """Revived even when not archived (an event all the same, as Unleash)."""
    row = features.get_flag(conn, name=name)
    if row is None:
        raise NotFoundError("No feature flag found")
    _active_project(conn, project=row.project)
    _revive(conn, rows=[row], actor=actor)


def revive_many(conn: Connection, *, names: list[str], project: str, actor: Actor) -> None:
    _active_project(conn, project=project)
    rows = _belong_to(conn, names=names, project=project)
    _revive(conn, rows=[row for row in rows if row.archived_at is not None], actor=actor)


def _revive(conn: Connection, *, rows: list[Any], actor: Actor) -> None:
    names = [row.name for row in rows]
    repository.set_archived_at(conn, names=names, at=None)
    # A revived flag comes back off everywhere: SDKs see it again, disabled.
    repository.disable_environments(conn, names=names)
    for row in rows:
        record(
            conn, actor=actor, type="feature-revived", feature_name=row.name, project=row.project
        )
    # Its lifecycle starts over.
    lifecycle.forget(conn, names=names)
    lifecycle.enter(conn, names=names, stage="initial")


def delete_many(conn: Connection, *, names: list[str], project: str, actor: Actor) -> None:
    """Only archived flags are deleted; the rest are left alone."""
    rows = _belong_to(conn, names=names, project=project)
    _no_orphans(conn, names=names)
    archived = [row for row in rows if row.archived_at is not None]
    if not archived:
        return
    tags = {row.name: features.tags_of(conn, name=row.name) for row in archived}
    repository.delete_flags(conn, names=[row.name for row in archived])
    for row in archived:
        events.record(
            conn,
            actor=actor,
            type="feature-deleted",
            pre_data=_deleted_json(row),
            project=row.project,
            feature_name=row.name,
            tags=tags[row.name],
            grouped=True,
        )


def _deleted_json(row: Any) -> dict[str, Any]:
    """The flag as Unleash's store returns a deleted row (no lastSeenAt)."""
    return {
        "name": row.name,
        "description": row.description,
        "type": row.type,
        "project": row.project,
        "stale": bool(row.stale),
        "createdAt": iso(row.created_at),
        "impressionData": bool(row.impression_data),
        "archivedAt": iso(row.archived_at),
        "archived": True,
    }


def set_stale(
    conn: Connection, *, names: list[str], stale: bool, project: str, actor: Actor
) -> None:
    """Unleash's setToggleStaleness: an event only for flags whose staleness changed."""
    rows = _belong_to(conn, names=names, project=project)
    changed = [row.name for row in rows if bool(row.stale) != stale]
    repository.set_stale(conn, names=changed, stale=stale)
    for name in changed:
        # Unleash stores these outside a transaction group.
        events.record(
            conn,
            actor=actor,
            type="feature-stale-on" if stale else "feature-stale-off",
            project=project,
            feature_name=name,
            tags=features.tags_of(conn, name=name),
        )
