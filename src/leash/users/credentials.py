"""A user's password set: Unleash's rules for a new one (not empty, strong, none of the last
five), and what setting one ends (reset links, other sessions)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from leash.db.base import utcnow
from leash.errors import PasswordPreviouslyUsedError, PasswordUndefinedError
from leash.users import repository
from leash.users.passwords import check_password, verify_password

# Unleash's disallowNPreviousPasswords: the new password is checked against the last five.
HISTORY = 5


def require_new_password(password: Any) -> str:
    """Unleash's validatePassword: empty or missing first, then the OWASP test."""
    if not isinstance(password, str) or not password:
        raise PasswordUndefinedError()
    check_password(password)
    return password


def used_hashes(conn: Connection, *, user_id: int) -> list[str]:
    return [row.password_hash for row in repository.used_password_rows(conn, user_id=user_id)]


def require_unused(hashes: list[str], *, password: str) -> None:
    """Slow (argon2 per hash): called outside any transaction."""
    if any(verify_password(stored, password) for stored in hashes):
        raise PasswordPreviouslyUsedError()


def store_password(
    conn: Connection,
    *,
    user_id: int,
    password_hash: str,
    logout: bool = True,
    keep_sid_hash: str | None = None,
) -> None:
    """Set the hash, remember it, end the user's reset links and (unless `logout` is False)
    every session but `keep_sid_hash`: whoever knew the old password is logged out."""
    now = utcnow()
    repository.update_user(conn, user_id=user_id, values={"password_hash": password_hash})
    remember(conn, user_id=user_id, password_hash=password_hash)
    repository.expire_reset_tokens(conn, user_id=user_id, now=now)
    if logout:
        repository.delete_sessions_of(conn, user_id=user_id, keep_sid_hash=keep_sid_hash)


def remember(conn: Connection, *, user_id: int, password_hash: str) -> None:
    repository.add_used_password(conn, user_id=user_id, password_hash=password_hash)
    rows = repository.used_password_rows(conn, user_id=user_id)
    repository.delete_used_passwords(conn, ids=[row.id for row in rows[HISTORY:]])
