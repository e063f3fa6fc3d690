"""Tag rules: Unleash's Joi checks and messages, tags made when a flag is first tagged, events,
and the client API told of every flag whose tags changed."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import quote

from sqlalchemy import Connection

from leash import changelog, constraint_rules
from leash.errors import BadDataError, NameExistsError, NotFoundError
from leash.events import service as events
from leash.features import repository as features
from leash.identity import Actor
from leash.tags import repository
from leash.tags.schemas import Tag, TagsBulkAdd, TagType, UpdateTags, UpdateTagType

VERSION = 1
NAME_MIN, NAME_MAX = 2, 50
# What JavaScript's String.prototype.trim removes (Unleash trims a new tag's value with it).
_JS_WHITESPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
NO_FLAG = "No feature flag found"


def _joi(label: str, text: str, value: object = None) -> BadDataError:
    message = constraint_rules.joi_message(label, text, value)
    return BadDataError.many([{"message": message}], with_id=False)


def _url_friendly(name: str) -> bool:
    # encodeURIComponent leaves exactly these characters alone.
    return quote(name, safe="-_.!~*'()") == name and name not in (".", "..")


def check_name(name: str, *, label: str) -> None:
    """Joi's isUrlFriendly().min(2).max(50): a tag type's name, a tag's type."""
    if name == "":
        raise _joi(label, "is not allowed to be empty")
    if not _url_friendly(name):
        raise _joi(label, "must be URL friendly", name)
    if len(name) < NAME_MIN:
        raise _joi(label, f"length must be at least {NAME_MIN} characters long", name)
    if len(name) > NAME_MAX:
        raise _joi(label, f"length must be less than or equal to {NAME_MAX} characters long", name)


def header_safe(text: str) -> str:
    """A Location header's text: anything but printable ASCII percent-encoded (a tag's value
    may hold any character, a header only Latin-1)."""
    return "".join(c if " " <= c <= "~" else quote(c) for c in text)


# -- tag types --------------------------------------------------------------------------------


def _tag_type_not_found() -> NotFoundError:
    return NotFoundError("Could not find tag-type")


def _tag_type_exists(name: str) -> NameExistsError:
    return NameExistsError(f"There already exists a tag-type with the name {name}")


def list_tag_types(conn: Connection) -> dict[str, Any]:
    return {"version": VERSION, "tagTypes": repository.list_tag_types(conn)}


def get_tag_type(conn: Connection, *, name: str) -> dict[str, Any]:
    found = repository.get_tag_type(conn, name=name)
    if found is None:
        raise _tag_type_not_found()
    return {"version": VERSION, "tagType": found}


def validate_tag_type(conn: Connection, *, body: TagType) -> None:
    check_name(body["name"], label="name")
    if repository.get_tag_type(conn, name=body["name"]) is not None:
        raise _tag_type_exists(body["name"])


def create_tag_type(conn: Connection, *, body: TagType, actor: Actor) -> dict[str, Any]:
    validate_tag_type(conn, body=body)
    data = dict(body)
    if not repository.insert_tag_type(
        conn,
        values={
            "name": body["name"],
            "description": body.get("description"),
            "icon": body.get("icon"),
            "color": body.get("color"),
        },
    ):
        raise _tag_type_exists(body["name"])
    events.record(conn, actor=actor, type="tag-type-created", data=data, grouped=True)
    return data


def update_tag_type(conn: Connection, *, name: str, body: UpdateTagType, actor: Actor) -> None:
    """What the body names changes. As in Unleash, a name no tag type has changes nothing and
    still records the event; a body naming nothing (a 500 in Unleash) changes nothing."""
    check_name(name, label="name")
    given = cast(dict[str, Any], body)
    values: dict[str, Any] = {
        key: given[key] for key in ("description", "icon", "color") if key in given
    }
    if not values:
        return
    repository.update_tag_type(conn, name=name, values=values)
    events.record(
        conn, actor=actor, type="tag-type-updated", data={"name": name, **values}, grouped=True
    )


def delete_tag_type(conn: Connection, *, name: str, actor: Actor) -> None:
    stored = repository.get_tag_type(conn, name=name, lock=True)
    if stored is None:
        raise _tag_type_not_found()
    # The cascade untags flags: SDKs filtering by those tags must see it.
    repository.lock_tags(conn, type=name)
    _note_flags(conn, repository.flags_tagged(conn, type=name))
    repository.delete_tag_type(conn, name=name)
    events.record(conn, actor=actor, type="tag-type-deleted", pre_data=stored, grouped=True)


def _note_flags(conn: Connection, names: list[str]) -> None:
    for name in names:
        changelog.note(conn, feature_name=name)


# -- tags -------------------------------------------------------------------------------------


def _no_tag_type(type: str) -> BadDataError:
    return BadDataError.single(f"Tag type '{type}' does not exist")


def list_tags(conn: Connection, *, type: str | None = None) -> dict[str, Any]:
    return {"version": VERSION, "tags": repository.list_tags(conn, type=type)}


def get_tag(conn: Connection, *, type: str, value: str) -> dict[str, Any]:
    if not repository.tag_exists(conn, type=type, value=value):
        raise NotFoundError(f"No tag with type: [{type}] and value [{value}]")
    return {"version": VERSION, "tag": {"type": type, "value": value}}


def create_tag(conn: Connection, *, body: Tag, actor: Actor) -> dict[str, str]:
    tag = {"type": body["type"], "value": body["value"].strip(_JS_WHITESPACE)}
    check_name(tag["type"], label="type")
    if repository.tag_exists(conn, type=tag["type"], value=tag["value"]):
        # Unleash's message, its template printing the tag object as JavaScript does.
        raise NameExistsError("A tag of [object Object] already exists")
    if not repository.insert_tag(conn, type=tag["type"], value=tag["value"]):
        if repository.get_tag_type(conn, name=tag["type"]) is None:
            # A 500 (a foreign key violation) in Unleash: worded as its flag-tagging is.
            raise _no_tag_type(tag["type"])
        raise NameExistsError("A tag of [object Object] already exists")
    events.record(conn, actor=actor, type="tag-created", data=tag)
    return tag


def delete_tag(conn: Connection, *, type: str, value: str, actor: Actor) -> None:
    """As in Unleash, deleting a tag no flag or type has still records the event."""
    repository.lock_tags(conn, type=type, value=value)
    _note_flags(conn, repository.flags_tagged(conn, type=type, value=value))
    repository.delete_tag(conn, type=type, value=value)
    events.record(conn, actor=actor, type="tag-deleted", data={"type": type, "value": value})


def _ensure_tag(conn: Connection, *, tag: dict[str, str], actor: Actor) -> None:
    """Unleash's createTagIfNeeded: a tag a flag is given is made, with its event."""
    if repository.tag_exists(conn, type=tag["type"], value=tag["value"]):
        return
    if repository.insert_tag(conn, type=tag["type"], value=tag["value"]):
        events.record(conn, actor=actor, type="tag-created", data=tag)
    elif repository.get_tag_type(conn, name=tag["type"]) is None:
        raise _no_tag_type(tag["type"])


# -- flags' tags ------------------------------------------------------------------------------


def _plain(tag: Tag) -> dict[str, str]:
    # Joi's tagSchema strips the color a body may carry.
    return {"type": tag["type"], "value": tag["value"]}


def _feature_tags(conn: Connection, name: str) -> list[dict[str, str]]:
    return features.tags_of(conn, name=name)


def flag_project(conn: Connection, *, name: str) -> str | None:
    """The flag's stored project (None: no such flag), held until the write ends."""
    return repository.flag_project(conn, name=name, lock=True)


def list_flag_tags(conn: Connection, *, name: str) -> dict[str, Any]:
    if repository.flag_project(conn, name=name) is None:
        raise NotFoundError(f"Could not find feature with name {name}")
    return {"version": VERSION, "tags": repository.tags_of_flag(conn, name=name)}


def _tag_flag(conn: Connection, *, name: str, tag: dict[str, str], actor: Actor) -> None:
    if not repository.tag_flag(
        conn, name=name, type=tag["type"], value=tag["value"], user_id=actor.user_id
    ):
        # Its type was deleted since the tag was made or found.
        raise _no_tag_type(tag["type"])


def _tag(conn: Connection, *, name: str, project: str, tag: dict[str, str], actor: Actor) -> None:
    _ensure_tag(conn, tag=tag, actor=actor)
    _tag_flag(conn, name=name, tag=tag, actor=actor)
    events.record(
        conn,
        actor=actor,
        type="feature-tagged",
        data=tag,
        project=project,
        feature_name=name,
        tags=_feature_tags(conn, name),
    )


def _untag(conn: Connection, *, name: str, project: str, tag: dict[str, str], actor: Actor) -> None:
    before = repository.tags_of_flag(conn, name=name)
    repository.untag_flag(conn, name=name, type=tag["type"], value=tag["value"])
    # Unleash's event lists the flag's tags before the removal, each with its type's color.
    events.record(
        conn,
        actor=actor,
        type="feature-untagged",
        pre_data=tag,
        project=project,
        feature_name=name,
        tags=cast(list[dict[str, str]], before),
    )


def add_flag_tag(
    conn: Connection, *, name: str, project: str | None, body: Tag, actor: Actor
) -> dict[str, str]:
    if project is None:
        raise NotFoundError(NO_FLAG)
    tag = _plain(body)
    check_name(tag["type"], label="type")
    _tag(conn, name=name, project=project, tag=tag, actor=actor)
    return tag


def remove_flag_tag(
    conn: Connection, *, name: str, project: str | None, type: str, value: str, actor: Actor
) -> None:
    """A tag the flag does not have is removed all the same (200, with the event)."""
    if project is None:
        raise NotFoundError(NO_FLAG)
    _untag(conn, name=name, project=project, tag={"type": type, "value": value}, actor=actor)


def update_flag_tags(
    conn: Connection, *, name: str, project: str | None, body: UpdateTags, actor: Actor
) -> dict[str, Any]:
    """Every added tag, then every removed one; all of them or none (Unleash applies each
    separately)."""
    added = [_plain(tag) for tag in body["addedTags"]]
    removed = [_plain(tag) for tag in body["removedTags"]]
    if project is None:
        if added or removed:
            raise NotFoundError(NO_FLAG)
        raise NotFoundError(f"Could not find feature with name {name}")
    for tag in added:
        check_name(tag["type"], label="type")
    for tag in added:
        _tag(conn, name=name, project=project, tag=tag, actor=actor)
    for tag in removed:
        _untag(conn, name=name, project=project, tag=tag, actor=actor)
    return list_flag_tags(conn, name=name)


def update_tags_in_project(
    conn: Connection, *, project: str, body: TagsBulkAdd, actor: Actor
) -> None:
    """addTagToFeatures: the tags added to and removed from each named flag of `project`."""
    names = list(dict.fromkeys(body["features"]))
    stored = repository.flag_projects(conn, names=names)
    if any(stored_project != project for stored_project in stored.values()):
        raise BadDataError.single("Tried to change tags of feature not belonging to project")
    added = [_plain(tag) for tag in body["tags"]["addedTags"]]
    removed = [_plain(tag) for tag in body["tags"]["removedTags"]]
    for tag in added:
        _ensure_tag(conn, tag=tag, actor=actor)
    if added and any(name not in stored for name in names):
        # A foreign key violation (500) in Unleash, after it made the tags.
        raise NotFoundError(NO_FLAG)
    flags = [name for name in names if name in stored]
    for name in flags:
        for tag in added:
            _tag_flag(conn, name=name, tag=tag, actor=actor)
        for tag in removed:
            repository.untag_flag(conn, name=name, type=tag["type"], value=tag["value"])
    # Unleash stores the events after every change (each flag's additions, then each flag's
    # removals), each listing the flag's tags by then.
    for name in flags:
        for tag in added:
            events.record(
                conn,
                actor=actor,
                type="feature-tagged",
                data=tag,
                project=project,
                feature_name=name,
                tags=_feature_tags(conn, name),
            )
    for name in flags:
        for tag in removed:
            events.record(
                conn,
                actor=actor,
                type="feature-untagged",
                pre_data=tag,
                project=project,
                feature_name=name,
                tags=_feature_tags(conn, name),
            )
