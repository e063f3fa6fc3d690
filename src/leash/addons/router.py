"""HTTP for integrations (Unleash 8.2's addon controller)."""

from __future__ import annotations

from typing import Any, Final

from fastapi import APIRouter, Response

from leash import http, permissions
from leash.addons import providers, service
from leash.addons.schemas import ADDON_CREATE_UPDATE, EVENTS_QUERY, AddonCreateUpdate
from leash.api.call import Call
from leash.api.operation import Answer, Auth, Operation
from leash.api.route import route
from leash.errors import BadDataError, NotFoundError

router = APIRouter()

ADDONS: Final = "/api/admin/addons"
ONE: Final = ADDONS + "/{id}"
_MAX_ID: Final = 2**31 - 1


def _addon_id(call: Call[Any]) -> int:
    """Unleash answers a 500 for an id that is no integer; leash a 404."""
    text = call.path_str("id")
    if not (text.isascii() and text.isdigit()) or len(text) > 10 or int(text) > _MAX_ID:
        raise NotFoundError("Could not find addon")
    return int(text)


def _allow_private(call: Call[Any]) -> bool:
    return bool(call.settings.unleash_allow_private_url_in_integration)


def _operation(
    operation_id: str, method: str, path: str, *, answer: Answer, grant: str | None = None
) -> Operation:
    return Operation(
        operation_id=operation_id,
        method=method,
        path=path,
        tag="Addons",
        auth=Auth.ADMIN,
        permissions=(grant,) if grant else (),
        body=ADDON_CREATE_UPDATE if method in ("POST", "PUT") else None,
        answer=answer,
        query=EVENTS_QUERY if operation_id == "getIntegrationEvents" else {},
    )


@route(router, _operation("getAddons", "GET", ADDONS, answer=Answer(200)))
def get_addons(call: Call[None]) -> Response:
    with call.read() as conn:
        addons = service.list_addons(conn)
    return http.json({"addons": addons, "providers": list(providers.definitions())})


@route(
    router,
    _operation("createAddon", "POST", ADDONS, answer=Answer(201), grant=permissions.CREATE_ADDON),
)
def create_addon(call: Call[AddonCreateUpdate]) -> Response:
    call.require()
    data = call.body
    with call.write(refresh=False) as conn:
        addon = service.create(
            conn, body=data, actor=call.actor, allow_private=_allow_private(call)
        )
    return http.json(addon, status_code=201)


@route(router, _operation("getAddon", "GET", ONE, answer=Answer(200)))
def get_addon(call: Call[None]) -> Response:
    addon_id = _addon_id(call)
    with call.read() as conn:
        addon = service.get_addon(conn, addon_id=addon_id)
    return http.json(addon)


@route(
    router,
    _operation("updateAddon", "PUT", ONE, answer=Answer(200), grant=permissions.UPDATE_ADDON),
)
def update_addon(call: Call[AddonCreateUpdate]) -> Response:
    call.require()
    data = call.body
    addon_id = _addon_id(call)
    with call.write(refresh=False) as conn:
        addon = service.update(
            conn,
            addon_id=addon_id,
            body=data,
            actor=call.actor,
            allow_private=_allow_private(call),
        )
    return http.json(addon)


@route(
    router,
    _operation("deleteAddon", "DELETE", ONE, answer=Answer(200), grant=permissions.DELETE_ADDON),
)
def delete_addon(call: Call[None]) -> Response:
    call.require()
    addon_id = _addon_id(call)
    with call.write(refresh=False) as conn:
        service.delete(conn, addon_id=addon_id, actor=call.actor)
    return http.empty(200)


def _page_number(text: str | None, *, default: int, top: int | None) -> int:
    """Unleash's Number(x) normalised: out of range or not a number is the default."""
    if text is None or not text.strip().isdigit() or len(text.strip()) > 6:
        return default
    value = int(text.strip())
    if value <= 0 or (top is not None and value > top):
        return default
    return value


@route(
    router,
    _operation(
        "getIntegrationEvents",
        "GET",
        ONE + "/events",
        answer=Answer(200),
        grant=permissions.ADMIN,
    ),
)
def get_integration_events(call: Call[None]) -> Response:
    call.require()
    text = call.path_str("id")
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        raise BadDataError.single("Invalid integration configuration id")
    limit = _page_number(call.query("limit"), default=50, top=100)
    offset = _page_number(call.query("offset"), default=0, top=None)
    with call.read() as conn:
        page = service.integration_events(conn, addon_id=int(text), limit=limit, offset=offset)
    return http.json({"integrationEvents": page})
