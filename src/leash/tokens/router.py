"""HTTP for /api/admin/api-tokens: list, create, change expiry, delete."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import Engine

from leash import http, permissions
from leash.auth import Principal, require_admin
from leash.errors import BadDataError
from leash.http import RawBody, raw_body
from leash.tokens import service

router = APIRouter(prefix="/api/admin/api-tokens", tags=["API tokens"])

TYPE_PATTERN = (
    "^([Cc][Ll][Ii][Ee][Nn][Tt]|[Bb][Aa][Cc][Kk][Ee][Nn][Dd]|[Ff][Rr][Oo][Nn][Tt][Ee][Nn][Dd])$"
)
# Unleash's createApiTokenSchema is a oneOf; ajv adds this second detail to every failure.
ONE_OF = {
    "message": 'The "/body" property must match exactly one schema in oneOf. The data you '
    "provided matches more than one option in the schema. These options are mutually "
    "exclusive. Please refer back to the schema and remove any excess properties.",
    "path": "/body",
}


def _db(request: Request) -> Engine:
    engine: Engine = request.app.state.db
    return engine


def _js(value: Any) -> str:
    import orjson

    return orjson.dumps(value).decode()


def _check_create_body(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise BadDataError.many(
            [{"message": f"The `/body` property must be object. You sent {_js(body)}.",
              "path": "/body"}, ONE_OF]
        )
    for name in ("type", "tokenName"):
        if name not in body:
            where = f"/body/{name}"
            detail = {
                "path": where,
                "message": f"The `{where}` property is required. "
                "It was not present on the data you sent.",
            }
            raise BadDataError.many([detail, ONE_OF])
    type = body["type"]
    if not isinstance(type, str) or service.API_CREATABLE_TYPES.count(type.lower()) == 0:
        detail = {
            "message": f'The `/body/type` property must match pattern "{TYPE_PATTERN}". '
            f"You sent {_js(type)}.",
            "path": "/body/type",
        }
        raise BadDataError.many([detail, ONE_OF])
    expires_at = body.get("expiresAt")
    if expires_at is not None and not (
        isinstance(expires_at, str) and service.is_date_time(expires_at)
    ):
        detail = {
            "message": 'The `/body/expiresAt` property must match format "date-time". '
            f"You sent {_js(expires_at)}.",
            "path": "/body/expiresAt",
        }
        raise BadDataError.many([detail, ONE_OF])
    return body


def _check_expiry_body(body: Any) -> str:
    if not isinstance(body, dict) or "expiresAt" not in body:
        raise BadDataError.many(
            [
                {
                    "path": "/body/expiresAt",
                    "message": "The `/body/expiresAt` property is required. "
                    "It was not present on the data you sent.",
                }
            ]
        )
    value = body["expiresAt"]
    if not (isinstance(value, str) and service.is_date_time(value)):
        raise BadDataError.many(
            [
                {
                    "message": 'The `/body/expiresAt` property must match format "date-time". '
                    f"You sent {_js(value)}.",
                    "path": "/body/expiresAt",
                }
            ]
        )
    return value


def _readable_types(principal: Principal) -> tuple[str, ...] | None:
    """Admins see every token; readers see the types their permissions name, never admin."""
    if permissions.is_root_admin(principal):
        return None
    types: tuple[str, ...] = ()
    if permissions.has_any(principal, (permissions.READ_CLIENT_API_TOKEN,), project=None):
        types += service.CLIENT_TYPES
    if permissions.has_any(principal, (permissions.READ_FRONTEND_API_TOKEN,), project=None):
        types += ("frontend",)
    return types


@router.get("", operation_id="getAllApiTokens")
def get_all_api_tokens(request: Request, principal: Principal = Depends(require_admin)) -> Response:
    permissions.require_any(
        principal,
        permissions.ADMIN,
        permissions.READ_CLIENT_API_TOKEN,
        permissions.READ_FRONTEND_API_TOKEN,
    )
    with _db(request).connect() as conn:
        tokens = service.list_tokens(conn, types=_readable_types(principal))
    return http.json({"tokens": tokens})


@router.post("", operation_id="createApiToken", status_code=201)
def create_api_token(
    request: Request,
    principal: Principal = Depends(require_admin),
    body: RawBody = Depends(raw_body),
) -> Response:
    permissions.require_any(
        principal,
        permissions.ADMIN,
        permissions.CREATE_CLIENT_API_TOKEN,
        permissions.CREATE_FRONTEND_API_TOKEN,
    )
    data = _check_create_body(http.parse_json(body))
    wanted = (
        permissions.CREATE_FRONTEND_API_TOKEN
        if str(data["type"]).lower() == "frontend"
        else permissions.CREATE_CLIENT_API_TOKEN
    )
    permissions.require_any(principal, permissions.ADMIN, wanted)
    with _db(request).begin() as conn:
        created = service.create_from_api(conn, body=data, actor=principal.actor)
    request.app.state.changed()
    return http.json(created, status_code=201, headers={"Location": "api-tokens"})


@router.put("/{token:path}", operation_id="updateApiToken")
def update_api_token(
    request: Request,
    token: str,
    principal: Principal = Depends(require_admin),
    body: RawBody = Depends(raw_body),
) -> Response:
    permissions.require_any(
        principal,
        permissions.ADMIN,
        permissions.UPDATE_CLIENT_API_TOKEN,
        permissions.UPDATE_FRONTEND_API_TOKEN,
    )
    expires_at = service.parse_datetime(_check_expiry_body(http.parse_json(body)))
    with _db(request).begin() as conn:
        service.update_expiry(conn, secret=token, expires_at=expires_at, actor=principal.actor)
    request.app.state.changed()
    return http.empty(200)


@router.delete("/{token:path}", operation_id="deleteApiToken")
def delete_api_token(
    request: Request, token: str, principal: Principal = Depends(require_admin)
) -> Response:
    permissions.require_any(
        principal,
        permissions.ADMIN,
        permissions.DELETE_CLIENT_API_TOKEN,
        permissions.DELETE_FRONTEND_API_TOKEN,
    )
    with _db(request).begin() as conn:
        service.delete(conn, secret=token, actor=principal.actor)
    request.app.state.changed()
    return http.empty(200)
