"""Password reset links (Unleash's reset tokens): made for a user by an admin or by the user
asking for one, shown once, kept only as a digest, good for 24 hours and for one reset."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection

from leash.db.base import utcnow
from leash.errors import InvalidTokenError, NotFoundError, RateLimitError
from leash.secrets import sha256
from leash.users import credentials, repository
from leash.users.passwords import hash_password

LIFETIME = timedelta(hours=24)
# Unleash lets one reset link a minute be made per user.
ONE_PER = timedelta(minutes=1)
# Links expired this long ago are deleted when a new one is made.
KEEP_EXPIRED = timedelta(days=1)
# Longer than any token leash makes; a longer one is not looked up.
MAX_TOKEN_LENGTH = 1024


def create_link(conn: Connection, *, email: str, created_by: str, unleash_url: str) -> str:
    """A reset link for the user with this email, replacing any link they had."""
    row = repository.user_by_email(conn, email=email) if email else None
    if row is None:
        raise NotFoundError("No user found")
    if repository.recent_reset_token(conn, user_id=row.id, since=utcnow() - ONE_PER):
        raise RateLimitError(
            "You can only send one new reset password email per minute, per user. "
            "Please try again later."
        )
    token = _issue(conn, user_id=row.id, purpose="reset", created_by=created_by)
    return f"{unleash_url.rstrip('/')}/reset-password?token={token}"


def create_invite(conn: Connection, *, user_id: int, created_by: str, unleash_url: str) -> str:
    """A new user's link to set their first password (Unleash's /new-user invite link)."""
    token = _issue(conn, user_id=user_id, purpose="invite", created_by=created_by)
    return f"{unleash_url.rstrip('/')}/new-user?token={token}"


def _issue(conn: Connection, *, user_id: int, purpose: str, created_by: str) -> str:
    now = utcnow()
    repository.delete_expired_reset_tokens(conn, before=now - KEEP_EXPIRED)
    repository.expire_reset_tokens(conn, user_id=user_id, now=now)
    token = secrets.token_urlsafe(32)
    repository.insert_reset_token(
        conn,
        token_hash=sha256(token),
        user_id=user_id,
        purpose=purpose,
        created_by=created_by,
        expires_at=now + LIFETIME,
    )
    return token


def _active(conn: Connection, *, token: str | None) -> Any:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidTokenError()
    stored = repository.active_reset_token(conn, token_hash=sha256(token), now=utcnow())
    if stored is None or stored.used_at is not None:
        raise InvalidTokenError()
    return stored


def token_user(conn: Connection, *, token: str | None) -> dict[str, Any]:
    """Unleash's tokenUserSchema: who the link is for and who made it."""
    stored = _active(conn, token=token)
    user = repository.user(conn, user_id=stored.user_id)
    if user is None:
        raise InvalidTokenError()
    role = repository.role(conn, role_id=user.root_role_id)
    body: dict[str, Any] = {"token": token, "createdBy": stored.created_by}
    if user.email is not None:
        body["email"] = user.email
    if user.name is not None:
        body["name"] = user.name
    body["id"] = user.id
    body["role"] = {
        "id": role.id,
        "description": role.description,
        "type": role.type,
        "name": role.name,
    }
    return body


@dataclass(frozen=True)
class Reset:
    """A reset checked so far: the link's user and the passwords they may not reuse."""

    token_hash: str
    user_id: int
    used_hashes: list[str]


def start_reset(conn: Connection, *, token: str, password: str) -> Reset:
    credentials.require_new_password(password)
    stored = _active(conn, token=token)
    return Reset(
        token_hash=stored.token_hash,
        user_id=stored.user_id,
        used_hashes=credentials.used_hashes(conn, user_id=stored.user_id),
    )


def prepare_hash(reset: Reset, *, password: str) -> str:
    """The slow part (argon2, once per remembered password), outside any transaction."""
    credentials.require_unused(reset.used_hashes, password=password)
    return hash_password(password)


def finish_reset(conn: Connection, *, reset: Reset, password_hash: str) -> None:
    now = utcnow()
    stored = repository.active_reset_token(conn, token_hash=reset.token_hash, now=now)
    if stored is None or stored.used_at is not None:
        # Used by a request racing this one.
        raise InvalidTokenError()
    repository.use_reset_token(conn, token_hash=reset.token_hash, now=now)
    credentials.store_password(conn, user_id=reset.user_id, password_hash=password_hash)
