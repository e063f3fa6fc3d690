"""SQL for tag types, tags and the tags of flags."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from leash.db.base import utcnow
from leash.features.models import feature_tags, features
from leash.tags.models import tag_types, tags


def _tag_type_json(row: Any) -> dict[str, Any]:
    return {
        "name": row.name,
        "description": row.description,
        "icon": row.icon,
        "color": row.color,
    }


# -- tag types --------------------------------------------------------------------------------


def list_tag_types(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(select(tag_types).order_by(tag_types.c.created_at, tag_types.c.name))
    return [_tag_type_json(row) for row in rows]


def get_tag_type(conn: Connection, *, name: str, lock: bool = False) -> dict[str, Any] | None:
    query = select(tag_types).where(tag_types.c.name == name)
    if lock:
        query = query.with_for_update()
    row = conn.execute(query).one_or_none()
    return None if row is None else _tag_type_json(row)


def insert_tag_type(conn: Connection, *, values: dict[str, Any]) -> bool:
    """False when the name is taken (a racing create included)."""
    try:
        with conn.begin_nested():
            conn.execute(insert(tag_types).values(**values, created_at=utcnow()))
    except IntegrityError:
        return False
    return True


def update_tag_type(conn: Connection, *, name: str, values: dict[str, Any]) -> None:
    conn.execute(update(tag_types).where(tag_types.c.name == name).values(**values))


def delete_tag_type(conn: Connection, *, name: str) -> None:
    conn.execute(delete(tag_types).where(tag_types.c.name == name))


# -- tags -------------------------------------------------------------------------------------


def list_tags(conn: Connection, *, type: str | None = None) -> list[dict[str, str]]:
    query = select(tags.c.type, tags.c.value).order_by(tags.c.created_at, tags.c.type, tags.c.value)
    if type is not None:
        query = query.where(tags.c.type == type)
    return [{"type": row.type, "value": row.value} for row in conn.execute(query)]


def tag_exists(conn: Connection, *, type: str, value: str) -> bool:
    query = select(tags.c.type).where(tags.c.type == type, tags.c.value == value)
    return conn.execute(query).first() is not None


def insert_tag(conn: Connection, *, type: str, value: str) -> bool:
    """False when the tag exists already, or its type does not (told apart by the caller)."""
    try:
        with conn.begin_nested():
            conn.execute(insert(tags).values(type=type, value=value, created_at=utcnow()))
    except IntegrityError:
        return False
    return True


def delete_tag(conn: Connection, *, type: str, value: str) -> None:
    conn.execute(delete(tags).where(tags.c.type == type, tags.c.value == value))


# -- flags' tags ------------------------------------------------------------------------------


def flag_project(conn: Connection, *, name: str, lock: bool = False) -> str | None:
    """The flag's project (archived or not), or None when there is no such flag. Locked
    (PostgreSQL), the flag keeps its project until the transaction ends."""
    query = select(features.c.project).where(features.c.name == name)
    if lock:
        query = query.with_for_update(read=True)
    project: str | None = conn.execute(query).scalar_one_or_none()
    return project


def flag_projects(conn: Connection, *, names: list[str]) -> dict[str, str]:
    query = (
        select(features.c.name, features.c.project)
        .where(features.c.name.in_(names))
        .with_for_update(read=True)
    )
    return {row.name: row.project for row in conn.execute(query)}


def tags_of_flag(conn: Connection, *, name: str) -> list[dict[str, Any]]:
    """Unleash's listTags: each tag with its type's color."""
    query = (
        select(feature_tags.c.tag_type, feature_tags.c.tag_value, tag_types.c.color)
        .outerjoin(tag_types, tag_types.c.name == feature_tags.c.tag_type)
        .where(feature_tags.c.feature_name == name)
        .order_by(feature_tags.c.created_at, feature_tags.c.tag_type, feature_tags.c.tag_value)
    )
    return [
        {"type": row.tag_type, "value": row.tag_value, "color": row.color}
        for row in conn.execute(query)
    ]


def lock_tags(conn: Connection, *, type: str, value: str | None = None) -> None:
    """Hold the tags (of `type`, or the one with `value`) until the transaction ends
    (PostgreSQL; SQLite's writers are serialized already): a flag being tagged with one of them
    meanwhile commits first, so a delete that then lists the tagged flags sees it."""
    query = select(tags.c.type).where(tags.c.type == type)
    if value is not None:
        query = query.where(tags.c.value == value)
    conn.execute(query.with_for_update()).all()


def tag_flag(conn: Connection, *, name: str, type: str, value: str, user_id: int | None) -> bool:
    """Idempotent: a flag tagged again keeps its tag (who tagged it is the latest caller).
    False when the tag is gone (deleted by a racing request)."""
    match = (
        feature_tags.c.feature_name == name,
        feature_tags.c.tag_type == type,
        feature_tags.c.tag_value == value,
    )
    if conn.execute(select(feature_tags.c.feature_name).where(*match)).first() is not None:
        conn.execute(update(feature_tags).where(*match).values(created_by_user_id=user_id))
        return True
    try:
        with conn.begin_nested():
            conn.execute(
                insert(feature_tags).values(
                    feature_name=name,
                    tag_type=type,
                    tag_value=value,
                    created_at=utcnow(),
                    created_by_user_id=user_id,
                )
            )
    except IntegrityError:
        # A racing request tagged it first (the flag has the tag either way), or deleted it.
        return conn.execute(select(feature_tags.c.feature_name).where(*match)).first() is not None
    return True


def untag_flag(conn: Connection, *, name: str, type: str, value: str) -> None:
    conn.execute(
        delete(feature_tags).where(
            feature_tags.c.feature_name == name,
            feature_tags.c.tag_type == type,
            feature_tags.c.tag_value == value,
        )
    )


def flags_tagged(conn: Connection, *, type: str, value: str | None = None) -> list[str]:
    """The flags that have a tag of `type` (with `value`, when given)."""
    query = select(feature_tags.c.feature_name).where(feature_tags.c.tag_type == type)
    if value is not None:
        query = query.where(feature_tags.c.tag_value == value)
    return sorted({row.feature_name for row in conn.execute(query)})


def tags_of_flags(conn: Connection, *, names: list[str]) -> list[Any]:
    """The feature-tag rows of these flags, by flag, then in the order they were added."""
    if not names:
        return []
    query = (
        select(feature_tags.c.feature_name, feature_tags.c.tag_type, feature_tags.c.tag_value)
        .where(feature_tags.c.feature_name.in_(names))
        .order_by(
            feature_tags.c.feature_name,
            feature_tags.c.created_at,
            feature_tags.c.tag_type,
            feature_tags.c.tag_value,
        )
    )
    return list(conn.execute(query).all())


def flags_with_tag_value(conn: Connection, *, value: str) -> list[str]:
    """The flags that have a tag of this value, of any type (Unleash's getAllFeaturesForTag)."""
    query = select(feature_tags.c.feature_name).where(feature_tags.c.tag_value == value)
    return sorted({row.feature_name for row in conn.execute(query)})


def untag_flags(conn: Connection, *, names: list[str]) -> None:
    if names:
        conn.execute(delete(feature_tags).where(feature_tags.c.feature_name.in_(names)))
