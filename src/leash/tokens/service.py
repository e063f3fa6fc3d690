"""API tokens: parsing Unleash secrets, storing them hashed, bootstrapping from configuration."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection

from leash.auth import SYSTEM_ACTOR
from leash.errors import BadDataError
from leash.events import service as events
from leash.tokens import repository

TOKEN_TYPES = ("admin", "client", "frontend")


def hash_secret(secret: str) -> str:
    # Secrets carry 224 random bits, so a plain digest is as good as a slow hash here and
    # keeps the lookup on every request cheap.
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class ParsedSecret:
    projects: list[str]
    environment: str


def parse_secret(secret: str) -> ParsedSecret:
    """`<project>:<env>.<hex>`, `*:<env>.<hex>`, `[]:<env>.<hex>` as Unleash reads them."""
    prefix, dot, rest = secret.partition(".")
    project, colon, environment = prefix.partition(":")
    if not dot or not colon or not project or not environment or not rest:
        raise ValueError(f"not an Unleash API token secret: {secret[:12]}...")
    projects = [] if project == "[]" else [project]
    return ParsedSecret(projects=projects, environment=environment)


def new_secret(*, projects: list[str], environment: str) -> str:
    project = "*" if projects == ["*"] else (projects[0] if len(projects) == 1 else "[]")
    return f"{project}:{environment}.{secrets.token_hex(28)}"


def create(
    conn: Connection,
    *,
    secret: str,
    token_name: str,
    type: str,
    projects: list[str],
    environment: str,
) -> None:
    if type not in TOKEN_TYPES:
        raise BadDataError.single(f"Invalid token type {type}")
    created_at = repository.insert(
        conn,
        secret_hash=hash_secret(secret),
        display_prefix=secret.partition(".")[0] + ".",
        token_name=token_name,
        type=type,
        environment=environment,
        projects=projects,
    )
    project = projects[0] if len(projects) == 1 else None
    events.record(
        conn,
        actor=SYSTEM_ACTOR,
        type="api-token-created",
        data={
            "environment": environment,
            "project": project,
            "tokenName": token_name,
            "type": type,
            "alias": None,
            "createdAt": created_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        },
        project=project,
        environment=environment,
    )


def ensure_initial_tokens(conn: Connection, *, secrets_by_type: dict[str, list[str]]) -> None:
    """INIT_*_API_TOKENS: create each configured secret unless it already exists."""
    for type, configured in secrets_by_type.items():
        for secret in configured:
            if repository.find(conn, secret_hash=hash_secret(secret)) is not None:
                continue
            parsed = parse_secret(secret)
            create(
                conn,
                secret=secret,
                token_name=type,
                type=type,
                projects=parsed.projects,
                environment=parsed.environment,
            )


def create_first_admin_token_if_none(conn: Connection) -> str | None:
    """An empty database with no token configured gets one admin token, shown once."""
    if repository.count_of_type(conn, type="admin") > 0:
        return None
    secret = new_secret(projects=["*"], environment="*")
    create(conn, secret=secret, token_name="admin", type="admin", projects=["*"], environment="*")
    return secret
