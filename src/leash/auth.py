"""Who is calling: API-token authentication for the admin, client and frontend APIs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from fastapi import Request
from sqlalchemy import Engine

from leash.errors import AuthenticationRequired, PlainStatus, UnauthorizedError

WRONG_TOKEN_TYPE = "invalid token: expected a different token type for this endpoint"
TOKEN_REQUIRED = (
    "This endpoint requires an API token. Please add an authorization header to your request "
    "with a valid token"
)
ADMIN_TOKEN_USER_ID = -42


@dataclass(frozen=True)
class Actor:
    """Who an event is attributed to."""

    name: str
    user_id: int | None
    ip: str | None = None


SYSTEM_ACTOR = Actor(name="unleash_system_user", user_id=-1337)


@dataclass(frozen=True)
class Principal:
    kind: str  # "admin" | "client" | "frontend"
    name: str
    projects: tuple[str, ...]
    environment: str
    ip: str | None = None
    permissions: frozenset[str] = field(default_factory=frozenset)

    @property
    def actor(self) -> Actor:
        user_id = ADMIN_TOKEN_USER_ID if self.kind == "admin" else None
        return Actor(name=self.name, user_id=user_id, ip=self.ip)

    @property
    def all_projects(self) -> bool:
        return "*" in self.projects


def bearer_secret(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    header = header.strip()
    if header[:7].lower() == "bearer ":
        header = header[7:].strip()
    return header


def _lookup(request: Request, secret: str) -> Principal | None:
    # Imported here: tokens depend on events, which depend on this module.
    from leash.tokens import repository
    from leash.tokens.service import hash_secret

    engine: Engine = request.app.state.db
    with engine.connect() as conn:
        row = repository.find(conn, secret_hash=hash_secret(secret))
    if row is None:
        return None
    if row.expires_at is not None and row.expires_at <= datetime.now(UTC):
        return None
    return Principal(
        kind=row.type,
        name=row.token_name,
        projects=tuple(row.projects),
        environment=row.environment,
        ip=request.client.host if request.client else None,
    )


def require_admin(request: Request) -> Principal:
    secret = bearer_secret(request)
    if not secret:
        raise AuthenticationRequired(base_path=request.app.state.settings.base_path)
    principal = _lookup(request, secret)
    if principal is None:
        raise UnauthorizedError("You must log in to use Unleash.")
    if principal.kind != "admin":
        raise PlainStatus(403, WRONG_TOKEN_TYPE)
    return principal


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
