"""HTTP for /api/admin/api-tokens: list, create, change expiry, delete."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import Engine

from leash import http, permissions
from leash.auth import require_admin
from leash.http import RawBody, raw_body
from leash.identity import CLIENT_TYPES, Principal
from leash.tokens import schemas, service

router = APIRouter(prefix="/api/admin/api-tokens", tags=["API tokens"])


def _db(request: Request) -> Engine:
    engine: Engine = request.app.state.db
    return engine


def _readable_types(principal: Principal) -> tuple[str, ...] | None:
    """Admins see every token; readers see the types their permissions name, never admin."""
    if permissions.is_root_admin(principal):
        return None
    types: tuple[str, ...] = ()
    if permissions.has_any(principal, (permissions.READ_CLIENT_API_TOKEN,), project=None):
        types += CLIENT_TYPES
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


# Request bodies are documented by leash.docs.contract with the schemas checked here.
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
    data = http.parse_json(body, schemas.CREATE_API_TOKEN)
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
    data = http.parse_json(body, schemas.UPDATE_API_TOKEN)
    expires_at = service.stored_datetime(data["expiresAt"])
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
