"""Who is calling: API tokens, personal access tokens and login sessions.

The admin API takes an admin API token, a personal access token (`user:...`) or the
`unleash-session` cookie of a logged-in user; the client and frontend APIs take only their own
API token type. Every secret is looked up by its SHA-256 digest, never stored or compared in
clear.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from fastapi import Request
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from leash.errors import AuthenticationRequired, PlainStatus, UnauthorizedError

WRONG_TOKEN_TYPE = "invalid token: expected a different token type for this endpoint"
TOKEN_REQUIRED = (
    "This endpoint requires an API token. Please add an authorization header to your request "
    "with a valid token"
)
ADMIN_TOKEN_USER_ID = -42
SYSTEM_USER_ID = -1337
SESSION_COOKIE = "unleash-session"
PAT_PREFIX = "user:"


@dataclass(frozen=True)
class Actor:
    """Who an event is attributed to."""

    name: str
    user_id: int | None
    ip: str | None = None


SYSTEM_ACTOR = Actor(name="unleash_system_user", user_id=SYSTEM_USER_ID)


@dataclass(frozen=True)
class Principal:
    kind: str  # "admin" | "client" | "frontend" (API tokens) | "user" (session or PAT)
    name: str
    projects: tuple[str, ...]
    environment: str
    ip: str | None = None
    # Bare root permission names; kept for callers that build a Principal by hand.
    permissions: frozenset[str] = field(default_factory=frozenset)
    user_id: int | None = None
    # (permission, project) pairs: project None for root grants, "*" for every project.
    grants: frozenset[tuple[str, str | None]] = field(default_factory=frozenset)
    # For API tokens: the masked secret the tokens table can show (never the secret).
    display_secret: str | None = None

    @property
    def actor(self) -> Actor:
        if self.kind == "admin":
            return Actor(name=self.name, user_id=ADMIN_TOKEN_USER_ID, ip=self.ip)
        return Actor(name=self.name, user_id=self.user_id, ip=self.ip)

    @property
    def all_projects(self) -> bool:
        return "*" in self.projects


def secret_of(header: str | None) -> str | None:
    """The secret an Authorization header carries ("Bearer " optional), None when it has none:
    the one reading of the header, for auth, the hot paths and the CSRF check alike."""
    if header is None:
        return None
    header = header.strip()
    if header[:7].lower() == "bearer ":
        header = header[7:].strip()
    return header or None


def bearer_secret(request: Request) -> str | None:
    return secret_of(request.headers.get("authorization"))


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def _engine(request: Request) -> Engine:
    engine: Engine = request.app.state.db
    return engine


def _lookup_api_token(request: Request, secret: str) -> Principal | None:
    # Imported here: tokens depend on events, which depend on this module.
    from leash.tokens import repository
    from leash.tokens.service import display_secret, hash_secret

    digest = hash_secret(secret)
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
    # Unleash 7 names backend SDK tokens "backend"; they are client tokens by another name.
    kind = "client" if row.type == "backend" else row.type
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
    from leash.users import service as users

    with _engine(request).connect() as conn:
        return users.principal_for_pat(conn, secret=secret, ip=client_ip(request))


def _lookup_session(request: Request, sid: str) -> Principal | None:
    from leash.users import service as users

    with _engine(request).connect() as conn:
        return users.principal_for_session(conn, sid=sid, ip=client_ip(request))


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


def _require_api_token(request: Request, *, kind: str) -> Principal:
    secret = bearer_secret(request)
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
