"""API tokens: parsing Unleash secrets, storing them hashed, the admin API's rules and events."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import re2
from sqlalchemy import Connection

from leash import formats
from leash.db.base import iso
from leash.errors import BadDataError
from leash.events import service as events
from leash.identity import SYSTEM_ACTOR, TOKEN_TYPES, Actor
from leash.projects import repository as projects
from leash.secrets import sha256
from leash.tokens import repository
from leash.tokens.schemas import CreateApiToken

# Types the admin API may create; Unleash 7 no longer creates admin tokens through it.
API_CREATABLE_TYPES = ("client", "backend", "frontend")
MASK = "*" * 8
HINT_LENGTH = 8


def display_secret(row: Any) -> str:
    """What the list can show instead of the secret, which is not stored.

    The tokens table keeps only the secret's prefix (`<project>:<env>.`) and its SHA-256, so
    the list shows the prefix, a mask and the first characters of the digest. The digest part
    reveals nothing about the secret but tells tokens apart, so this string can be passed back
    to PUT/DELETE /api/admin/api-tokens/{secret} in place of the secret.
    """
    return f"{row.display_prefix}{MASK}{row.secret_hash[:HINT_LENGTH]}"


@dataclass(frozen=True)
class ParsedSecret:
    projects: list[str]
    environment: str


def parse_secret(secret: str) -> ParsedSecret:
    """`<project>:<env>.<hex>`, `*:<env>.<hex>`, `[]:<env>.<hex>` as Unleash reads them."""
    prefix, dot, rest = secret.partition(".")
    project, colon, environment = prefix.partition(":")
    if not dot or not colon or not project or not environment or not rest:
        # Name only the non-secret prefix: start-up errors end up in logs.
        raise ValueError(f"not an Unleash API token secret: {prefix[:40]!r}...")
    projects = [] if project == "[]" else [project]
    return ParsedSecret(projects=projects, environment=environment)


def project_field(projects: list[str]) -> str:
    """Unleash's single `project` value: the project, `*`, or `[]` for several."""
    if "*" in projects:
        return "*"
    return projects[0] if len(projects) == 1 else "[]"


def new_secret(*, projects: list[str], environment: str) -> str:
    return f"{project_field(projects)}:{environment}.{secrets.token_hex(28)}"


def to_json(row: Any) -> dict[str, Any]:
    """A token as the list shows it; `secret` is the masked form (see display_secret)."""
    projects_ = list(row.projects)
    return {
        "secret": display_secret(row),
        "tokenName": row.token_name,
        "type": row.type,
        "project": project_field(projects_),
        "projects": projects_,
        "environment": row.environment,
        "expiresAt": iso(row.expires_at),
        "createdAt": iso(row.created_at),
        "alias": None,
        "seenAt": iso(row.seen_at),
    }


def _event_json(row: Any) -> dict[str, Any]:
    body = to_json(row)
    del body["secret"]
    return body


def _event_project(projects_: list[str]) -> str | None:
    field = project_field(projects_)
    return None if field == "[]" else field


def create(
    conn: Connection,
    *,
    secret: str,
    token_name: str,
    type: str,
    projects: list[str],
    environment: str,
    expires_at: datetime | None = None,
    actor: Actor = SYSTEM_ACTOR,
) -> dict[str, Any]:
    """Store a token (hashed) and its event; returns the creation answer, secret included."""
    if type not in (*TOKEN_TYPES, "backend"):
        raise BadDataError.single(f"Invalid token type {type}")
    created_at = repository.insert(
        conn,
        secret_hash=sha256(secret),
        display_prefix=secret.partition(".")[0] + ".",
        token_name=token_name,
        type=type,
        environment=environment,
        projects=projects,
        expires_at=expires_at,
    )
    project = project_field(projects)
    created = {
        "tokenName": token_name,
        "environment": environment,
        "projects": projects,
        "type": type,
        "alias": None,
        "project": project,
        "createdAt": iso(created_at),
    }
    events.record(
        conn,
        actor=actor,
        type="api-token-created",
        data=dict(created),
        project=_event_project(projects),
        environment=environment,
    )
    answer = dict(created)
    answer["secret"] = secret
    if expires_at is not None:
        answer["expiresAt"] = iso(expires_at)
    return answer


def create_from_api(conn: Connection, *, body: CreateApiToken, actor: Actor) -> dict[str, Any]:
    """POST /api/admin/api-tokens after the schema check: Unleash's Joi and service rules."""
    token_name = str(body["tokenName"])
    if token_name == "":
        raise BadDataError.many(
            [{"message": '"tokenName" is not allowed to be empty.'}], with_id=False
        )
    type = str(body["type"]).lower()
    environment = str(body.get("environment") or "development")
    raw_projects = body.get("projects")
    if raw_projects is None:
        requested = ["*"]
    else:
        if len(raw_projects) == 0:
            raise BadDataError.many(
                [{"message": '"projects" must contain at least 1 items. You provided [].'}],
                with_id=False,
            )
        requested = list(dict.fromkeys(str(p) for p in raw_projects))
    if environment == "*":
        label = "Frontend" if type == "frontend" else "Client"
        raise BadDataError.single(f"{label} token cannot be scoped to all environments")
    projects_ = ["*"] if "*" in requested else requested
    for project in projects_:
        if project != "*" and not projects.exists(conn, project_id=project):
            raise BadDataError.single(f"Project={project} does not exist")
    if not projects.environment_exists(conn, name=environment):
        raise BadDataError.single(f"Environment={environment} does not exist")
    expires_at = body.get("expiresAt")
    return create(
        conn,
        secret=new_secret(projects=projects_, environment=environment),
        token_name=token_name,
        type=type,
        projects=projects_,
        environment=environment,
        expires_at=stored_datetime(expires_at) if expires_at else None,
        actor=actor,
    )


# RE2: the secret comes from the request path.
_MASKED = re2.compile(r"^(?P<prefix>.*\.)" + re2.escape(MASK) + r"(?P<hint>[0-9a-f]{8})$")


def find(conn: Connection, *, secret: str) -> Any:
    """The token named by its secret, or by the masked form the list shows."""
    row = repository.find(conn, secret_hash=sha256(secret))
    if row is not None:
        return row
    match = _MASKED.match(secret)
    if match is None:
        return None
    candidates = repository.find_by_display(
        conn, display_prefix=match["prefix"], hash_start=match["hint"]
    )
    found = [row for row in candidates if hmac.compare_digest(display_secret(row), secret)]
    return found[0] if len(found) == 1 else None


def update_expiry(conn: Connection, *, secret: str, expires_at: datetime, actor: Actor) -> Any:
    """Unleash answers 200 whether or not the token exists; only a real change is logged."""
    row = find(conn, secret=secret)
    if row is None:
        return None
    repository.set_expiry(conn, secret_hash=row.secret_hash, expires_at=expires_at)
    after = repository.find(conn, secret_hash=row.secret_hash)
    events.record(
        conn,
        actor=actor,
        type="api-token-updated",
        data=_event_json(after),
        pre_data=_event_json(row),
        project=_event_project(list(row.projects)),
        environment=row.environment,
    )
    return after


def delete(conn: Connection, *, secret: str, actor: Actor) -> Any:
    row = find(conn, secret=secret)
    if row is None:
        return None
    repository.delete(conn, secret_hash=row.secret_hash)
    events.record(
        conn,
        actor=actor,
        type="api-token-deleted",
        pre_data=_event_json(row),
        project=_event_project(list(row.projects)),
        environment=row.environment,
    )
    return row


def list_tokens(conn: Connection, *, types: tuple[str, ...] | None) -> list[dict[str, Any]]:
    """Every token (types None) or only those of `types`."""
    rows = repository.list_all(conn)
    return [to_json(row) for row in rows if types is None or row.type in types]


def stored_datetime(text: str) -> datetime:
    """A date-time its schema (tokens.schemas.EXPIRES_AT) has already accepted."""
    moment = formats.to_datetime(text)
    if moment is None:
        raise BadDataError.single(f"{text} is not a date-time leash can store")
    return moment


def ensure_initial_tokens(conn: Connection, *, secrets_by_type: dict[str, list[str]]) -> None:
    """INIT_*_API_TOKENS: create each configured secret unless it already exists."""
    for type, configured in secrets_by_type.items():
        for secret in configured:
            if repository.find(conn, secret_hash=sha256(secret)) is not None:
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
