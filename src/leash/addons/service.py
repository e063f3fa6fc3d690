"""Addon configurations as Unleash 8.2's addon service keeps them: checked against the provider
definitions, sensitive parameters masked on read, addon-config-* events written."""

from __future__ import annotations

import json
from typing import Any, Final

from sqlalchemy import Connection

from leash.addons import providers, repository, urls
from leash.addons.schemas import AddonCreateUpdate
from leash.errors import BadDataError, NotFoundError
from leash.events.service import record
from leash.identity import Actor

MASKED: Final = "*****"
MAX_PARAMETER: Final = 10000
# Unleash's Joi ValidationErrors carry no details, so its handler answers this for all of them.
_JOI_GENERIC: Final = (
    "A validation error occurred while processing your request data. "
    "Please make sure it conforms to the request data schema."
)


def _invalid() -> BadDataError:
    return BadDataError.single(_JOI_GENERIC)


def _not_found() -> NotFoundError:
    return NotFoundError("Could not find addon")


def masked(addon: dict[str, Any]) -> dict[str, Any]:
    hidden = providers.sensitive(addon["provider"])
    parameters = {k: MASKED if k in hidden else v for k, v in addon["parameters"].items()}
    return {**addon, "parameters": parameters}


def list_addons(conn: Connection) -> list[dict[str, Any]]:
    return [masked(a) for a in repository.all_addons(conn)]


def get_addon(conn: Connection, *, addon_id: int) -> dict[str, Any]:
    stored = repository.get(conn, addon_id=addon_id)
    if stored is None:
        raise _not_found()
    return masked(stored)


def _checked(body: AddonCreateUpdate, *, allow_private: bool) -> dict[str, Any]:
    """The configuration Joi's addonSchema leaves, checked in Unleash's order."""
    provider = body["provider"]
    if provider == "":
        raise BadDataError.many(
            [{"message": '"provider" is not allowed to be empty.'}], with_id=False
        )
    parameters = body["parameters"]
    for key, value in parameters.items():
        if isinstance(value, str):
            if len(value) > MAX_PARAMETER:
                raise _invalid()
        elif isinstance(value, bool) or (isinstance(value, int | float) and abs(value) < 2**53):
            continue
        else:
            shown = json.dumps(value, separators=(",", ":"), ensure_ascii=False)[:1000]
            message = (
                f'"parameters.{key[:255]}" must be one of [string, number, boolean]. '
                f"You provided {shown}."
            )
            raise BadDataError.many([{"message": message}], with_id=False)
    definition = providers.by_name(provider)
    if definition is None:
        raise _invalid()  # Unknown addon provider
    if any(name not in parameters for name in providers.required(provider)):
        raise _invalid()  # Missing required parameters
    url = parameters.get("url")
    if isinstance(url, str) and url and url != MASKED:
        try:
            urls.check(url, allow_private=allow_private)
        except urls.RefusedUrl:
            raise _invalid() from None
    return {
        "provider": provider,
        "enabled": body["enabled"],
        "description": body.get("description"),
        "parameters": dict(parameters),
        "events": list(body["events"]),
        "projects": list(body.get("projects") or []),
        "environments": list(body.get("environments") or []),
    }


def _event_data(addon: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in addon.items() if k != "parameters"}


def create(
    conn: Connection, *, body: AddonCreateUpdate, actor: Actor, allow_private: bool
) -> dict[str, Any]:
    config = _checked(body, allow_private=allow_private)
    deprecated = (providers.by_name(config["provider"]) or {}).get("deprecated")
    if deprecated:
        raise BadDataError.single(str(deprecated))
    stored = repository.insert_addon(conn, config=config)
    # Unleash's insert answers without createdAt, and its event shows none.
    created = {k: v for k, v in stored.items() if k != "createdAt"}
    record(conn, actor=actor, type="addon-config-created", data=_event_data(created))
    return created


def update(
    conn: Connection, *, addon_id: int, body: AddonCreateUpdate, actor: Actor, allow_private: bool
) -> dict[str, Any]:
    existing = repository.get(conn, addon_id=addon_id)
    if existing is None:
        raise _not_found()
    config = _checked(body, allow_private=allow_private)
    if providers.sensitive(config["provider"]):
        # A masked value sent back keeps what is stored.
        config["parameters"] = {
            k: existing["parameters"].get(k) if v == MASKED else v
            for k, v in config["parameters"].items()
        }
    stored = repository.update_addon(conn, addon_id=addon_id, config=config)
    record(
        conn,
        actor=actor,
        type="addon-config-updated",
        data=_event_data(stored),
        pre_data=_event_data(existing),
    )
    return stored


def delete(conn: Connection, *, addon_id: int, actor: Actor) -> None:
    existing = repository.get(conn, addon_id=addon_id)
    if existing is None:
        raise _not_found()
    repository.delete_addon(conn, addon_id=addon_id)
    record(conn, actor=actor, type="addon-config-deleted", pre_data=_event_data(existing))


def integration_events(
    conn: Connection, *, addon_id: int, limit: int, offset: int
) -> list[dict[str, Any]]:
    return repository.integration_events_page(
        conn, integration_id=addon_id, limit=limit, offset=offset
    )
