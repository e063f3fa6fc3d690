"""Who is calling: API tokens, personal access tokens and login sessions.

The admin API takes an admin API token, a personal access token (`user:...`) or the
`unleash-session` cookie of a logged-in user; the client and frontend APIs take only their own
API token type. Every secret is looked up by its SHA-256 digest, never stored or compared in
clear.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from fastapi import Request
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from leash.errors import AuthenticationRequired, PlainStatus, UnauthorizedError
from leash.identity import (
    PAT_PREFIX,
    SESSION_COOKIE,
    Principal,
    PrincipalKind,
    secret_of,
)
from leash.secrets import sha256
from leash.tokens import repository
from leash.tokens.service import display_secret
from leash.users import principals

WRONG_TOKEN_TYPE = "invalid token: expected a different token type for this endpoint"
TOKEN_REQUIRED = (
    "This endpoint requires an API token. Please add an authorization header to your request "
    "with a valid token"
)
# API token types as principals: Unleash 7 names client tokens "backend".
_API_KINDS: dict[str, PrincipalKind] = {
    "admin": "admin",
    "client": "client",
    "backend": "client",
    "frontend": "frontend",
}


def bearer_secret(request: Request) -> str | None:
    return secret_of(request.headers.get("authorization"))


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.db
    return engine


def _lookup_api_token(request: Request, secret: str) -> Principal | None:
    digest = sha256(secret)
    cache = getattr(request.app.state, "token_cache", None)
    if cache is not None:
        cached: Principal | None = cache.get(digest)
        if cached is not None:
            return replace(cached, ip=client_ip(request))
        generation = cache.generation
    try:
        with _engine(request).connect() as conn:
            row = repository.find(conn, secret_hash=digest)
    except OperationalError:
        # The database is down: SDKs holding a token validated before keep being served.
        remembered: Principal | None = cache.fallback(digest) if cache is not None else None
        if remembered is None:
            raise
        return replace(remembered, ip=client_ip(request))
    if row is None or (row.expires_at is not None and row.expires_at <= datetime.now(UTC)):
        if cache is not None:
            cache.forget(digest)
        return None
    kind = _API_KINDS.get(row.type)
    if kind is None:
        return None
    principal = Principal(
        kind=kind,
        name=row.token_name,
        projects=tuple(row.projects),
        environment=row.environment,
        ip=client_ip(request),
        display_secret=display_secret(row),
    )
    if cache is not None:
        cache.put(digest, principal, expires_at=row.expires_at, generation=generation)
    return principal


def _lookup_pat(request: Request, secret: str) -> Principal | None:
    with _engine(request).connect() as conn:
        return principals.principal_for_pat(conn, secret=secret, ip=client_ip(request))


def _lookup_session(request: Request, sid: str) -> Principal | None:
    with _engine(request).connect() as conn:
        return principals.principal_for_session(conn, sid=sid, ip=client_ip(request))


def _lookup(request: Request, secret: str) -> Principal | None:
    if secret.startswith(PAT_PREFIX):
        return _lookup_pat(request, secret)
    return _lookup_api_token(request, secret)


def require_admin(request: Request) -> Principal:
    """Admin API: an admin API token, a personal access token or a session cookie."""
    secret = bearer_secret(request)
    if secret:
        principal = _lookup(request, secret)
        if principal is None:
            raise UnauthorizedError("You must log in to use Unleash.")
        if principal.kind not in ("admin", "user"):
            raise PlainStatus(403, WRONG_TOKEN_TYPE)
        return principal
    sid = request.cookies.get(SESSION_COOKIE)
    if sid:
        principal = _lookup_session(request, sid)
        if principal is not None:
            return principal
    raise AuthenticationRequired(base_path=request.app.state.settings.base_path)


# Unleash 8.2 tells a credential's kind by its prefix before looking it up: on the SDK APIs an
# admin-kind token (`*:*...`) or a personal access token is the wrong type, known or not.
_NOT_SDK_PREFIXES = ("*:*", PAT_PREFIX)


def _require_api_token(request: Request, *, kind: str) -> Principal:
    secret = bearer_secret(request)
    if secret and secret.startswith(_NOT_SDK_PREFIXES):
        raise PlainStatus(403, WRONG_TOKEN_TYPE)
    principal = _lookup(request, secret) if secret else None
    if principal is None:
        raise PlainStatus(401, TOKEN_REQUIRED)
    if principal.kind != kind:
        raise PlainStatus(403, WRONG_TOKEN_TYPE)
    return principal


def require_client(request: Request) -> Principal:
    return _require_api_token(request, kind="client")


def require_frontend(request: Request) -> Principal:
    return _require_api_token(request, kind="frontend")
