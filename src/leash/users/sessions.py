"""Password login (counted and locked per account) and the sessions it opens; logout."""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from leash.db.base import utcnow
from leash.limits import RateLimited, rate_limit_headers
from leash.secrets import sha256
from leash.users import lockouts, repository
from leash.users.passwords import verify_password
from leash.users.views import user_json

SESSION_LIFETIME = timedelta(hours=48)


@dataclass(frozen=True)
class Login:
    user: dict[str, Any]
    sid: str
    expires_at: datetime


# Failed logins an account takes before it is locked: Unleash's 10 login attempts per address.
LOGIN_FREE_FAILURES = 10
# The first lock (Unleash's one-minute window), doubled by every failure after it, up to a cap.
LOGIN_FIRST_LOCK = timedelta(minutes=1)
LOGIN_LONGEST_LOCK = timedelta(minutes=15)
# A count with no attempt for this long starts again.
LOGIN_FORGET_AFTER = timedelta(hours=1)


@dataclass(frozen=True)
class LoginAttempt:
    """A login counted against its account before the password is checked."""

    key: str
    row: Any
    headers: dict[str, str]


def login_key(conn: Connection, *, login: str) -> tuple[str, Any]:
    """The throttle key of what `login` names, and the user row (None for no account): the
    account, however it is named (username or email), else the normalised name."""
    row = repository.user_by_login(conn, login=login)
    if row is not None:
        return f"user:{row.id}", row
    return "name:" + sha256(login.strip().lower()), None


def lock_for(failures: int) -> timedelta | None:
    """How long an account is locked once `failures` consecutive attempts failed."""
    beyond = failures - LOGIN_FREE_FAILURES
    if beyond < 0:
        return None
    # Capped exponent: 2**4 minutes already passes the longest lock.
    return min(LOGIN_FIRST_LOCK * (1 << min(beyond, 16)), LOGIN_LONGEST_LOCK)


def _throttle_headers(*, remaining: int, reset: timedelta) -> dict[str, str]:
    return rate_limit_headers(
        limit=LOGIN_FREE_FAILURES,
        window_seconds=int(LOGIN_FORGET_AFTER.total_seconds()),
        remaining=remaining,
        reset_seconds=max(1, math.ceil(reset.total_seconds())),
    )


def start_login(conn: Connection, *, username: str) -> LoginAttempt:
    """Count the attempt, or refuse it (RateLimited, express-rate-limit's 429 as Unleash sends
    it for a limited login) while its account is locked. Commit before checking the password:
    attempts in parallel, in any worker or instance, then count against each other."""
    now = utcnow()
    forget_before = now - LOGIN_FORGET_AFTER
    key, row = login_key(conn, login=username)
    failures = lockouts.reserve(conn, key=key, now=now, forget_before=forget_before)
    if failures is None:
        until = lockouts.locked_until(conn, key=key) or now
        headers = _throttle_headers(remaining=0, reset=until - now)
        headers["Retry-After"] = headers["RateLimit-Reset"]
        raise RateLimited(headers)
    lock = lock_for(failures)
    if lock is not None:
        # Locked before the check: attempts racing this one are refused, not checked.
        lockouts.lock(conn, key=key, until=now + lock)
    remaining = max(0, LOGIN_FREE_FAILURES - failures)
    headers = _throttle_headers(remaining=remaining, reset=lock or LOGIN_FORGET_AFTER)
    return LoginAttempt(key=key, row=row, headers=headers)


def password_matches(attempt: LoginAttempt, *, password: str) -> bool:
    """The slow part (argon2), outside any transaction."""
    if attempt.row is None:
        # As slow as a wrong password: which names exist is not revealed.
        verify_password(None, password)
        return False
    return verify_password(attempt.row.password_hash, password)


def finish_login(conn: Connection, *, attempt: LoginAttempt, matched: bool) -> Login | None:
    """After the check: a success clears its account's count and opens a session; a failure
    (None) leaves the count and any lock as start_login set them. Returns rather than raises,
    so the caller commits either way."""
    now = utcnow()
    lockouts.forget_old(conn, now=now, forget_before=now - LOGIN_FORGET_AFTER)
    row = attempt.row
    # The user's own loginAttempts stays as it is on a failure: Unleash 8.2 shows 0 after
    # failed logins (and leash's earlier increment was always rolled back with its error).
    if row is None or not matched:
        return None
    lockouts.clear(conn, key=attempt.key)
    repository.delete_expired_sessions(conn, now=now)
    sid = secrets.token_urlsafe(32)
    expires_at = now + SESSION_LIFETIME
    repository.insert_session(conn, sid_hash=sha256(sid), user_id=row.id, expires_at=expires_at)
    repository.update_user(conn, user_id=row.id, values={"login_attempts": 0, "seen_at": now})
    # Unleash answers with the user as it was before this login (seenAt = the previous one).
    body = user_json(row, variant="session")
    body["loginAttempts"] = 0
    body["deletedSessions"] = 0
    body["activeSessions"] = repository.active_sessions(conn, user_id=row.id, now=now)
    return Login(user=body, sid=sid, expires_at=expires_at)


def logout(conn: Connection, *, sid: str) -> None:
    repository.delete_session(conn, sid_hash=sha256(sid))
