"""Users, roles, passwords, sessions and personal access tokens: the rules and their events."""

from __future__ import annotations

import math
import secrets
import string
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection

from leash import permissions as perms
from leash.db.base import iso, utcnow
from leash.errors import BadDataError, LeashError, NotFoundError
from leash.events import service as events
from leash.identity import ADMIN_TOKEN_USER_ID, Actor, Principal
from leash.limits import RateLimited, rate_limit_headers
from leash.projects import repository as projects
from leash.secrets import gravatar_url, sha256
from leash.users import lockouts, repository, roles
from leash.users.schemas import CreateUser, UpdateUser
from leash.validation import fits_int32

SESSION_LIFETIME = timedelta(hours=48)
PAT_PREFIX = "user:"
MASKED = "***"

_hasher = PasswordHasher()
# Verified against when the login names nobody, so a wrong username costs as much time as a
# wrong password and does not reveal which usernames exist.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class PasswordMismatch(LeashError):
    status_code = 401
    name = "PasswordMismatch"

    def __init__(self) -> None:
        super().__init__(
            "The combination of password and username you provided is invalid. If you have "
            "forgotten your password, visit /forgotten-password or get in touch with your "
            "instance administrator."
        )


class OwaspValidationError(LeashError):
    status_code = 400
    name = "OwaspValidationError"

    def __init__(self, errors: list[str]) -> None:
        super().__init__(errors[0], details=[{"validationErrors": errors, "message": errors[0]}])


# --- passwords ---


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """argon2's verify compares in constant time; a user without a password never matches."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# The library's patterns are ASCII classes; plain loops keep the test linear in the password.
_LOWER = frozenset(string.ascii_lowercase)
_UPPER = frozenset(string.ascii_uppercase)
_DIGITS = frozenset(string.digits)
_ALNUM = _LOWER | _UPPER | _DIGITS


def _repeats_three_times(password: str) -> bool:
    """/(.)\\1{2,}/: one character three times in a row (`.` is any but a newline)."""
    return any(
        password[i] == password[i + 1] == password[i + 2] != "\n"
        for i in range(len(password) - 2)
    )


def password_problems(password: str) -> list[str]:
    """The OWASP strength test Unleash runs (owasp-password-strength-test, all tests required)."""
    problems = []
    if len(password) < 10:
        problems.append("The password must be at least 10 characters long.")
    if len(password) > 128:
        problems.append("The password must be fewer than 128 characters.")
    if _repeats_three_times(password):
        problems.append(
            "The password may not contain sequences of three or more repeated characters."
        )
    if not any(c in _LOWER for c in password):
        problems.append("The password must contain at least one lowercase letter.")
    if not any(c in _UPPER for c in password):
        problems.append("The password must contain at least one uppercase letter.")
    if not any(c in _DIGITS for c in password):
        problems.append("The password must contain at least one number.")
    if all(c in _ALNUM for c in password):
        problems.append("The password must contain at least one special character.")
    return problems


def check_password(password: str) -> None:
    problems = password_problems(password)
    if problems:
        raise OwaspValidationError(problems)


# --- users as JSON ---


def display_name(row: Any) -> str:
    """How events name a user: the email when there is one, as Unleash does."""
    return str(row.email or row.username or "unknown")


def _image_url(row: Any) -> str:
    key = (row.email or row.username or "").strip().lower()
    return gravatar_url(key)


def user_json(row: Any, *, variant: str = "get") -> dict[str, Any]:
    """A user as Unleash shows it; the keys differ slightly between endpoints.

    variant: "list" (user-admin list), "get" (user-admin get/update), "create", "session"
    (login and /api/admin/user for a session) and "pat" (/api/admin/user for a PAT).
    """
    body: dict[str, Any] = {"accountType": "User", "id": row.id}
    if row.name is not None:
        body["name"] = row.name
    if row.username is not None:
        body["username"] = row.username
    if row.email is not None:
        body["email"] = row.email
    body["imageUrl"] = _image_url(row)
    body["seenAt"] = iso(row.seen_at)
    body["loginAttempts"] = row.login_attempts
    body["createdAt"] = iso(row.created_at)
    if variant == "pat":
        return body
    body["scimId"] = None
    if variant != "list":
        body["seatType"] = None
    body["companyRole"] = None
    body["productUpdatesEmailConsent"] = None
    if variant != "session":
        body["rootRole"] = row.root_role_id
    if variant in ("list", "create"):
        # leash sends no invitation e-mails, so there is no invite link to show.
        body["inviteLink"] = ""
    if variant == "create":
        body["emailSent"] = False
    return body


def _event_user(row: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"id": row.id}
    for key in ("name", "username", "email"):
        value = getattr(row, key)
        if value is not None:
            body[key] = value
    body["rootRole"] = row.root_role_id
    return body


def _role_json(row: Any) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "type": row.type, "description": row.description}


# --- principals ---


def principal_for_user(conn: Connection, *, row: Any, ip: str | None) -> Principal:
    grants = set(roles.root_grants(row.root_role_id))
    for assignment in repository.project_roles_of(conn, user_id=row.id):
        grants |= roles.project_grants(assignment.role_id, assignment.project)
    return Principal(
        kind="user",
        name=display_name(row),
        projects=("*",),
        environment="*",
        ip=ip,
        user_id=row.id,
        grants=frozenset(grants),
    )


def principal_for_pat(conn: Connection, *, secret: str, ip: str | None) -> Principal | None:
    pat = repository.pat_by_hash(conn, secret_hash=sha256(secret))
    if pat is None or pat.expires_at <= datetime.now(UTC):
        return None
    row = repository.user(conn, user_id=pat.user_id)
    return None if row is None else principal_for_user(conn, row=row, ip=ip)


def principal_for_session(conn: Connection, *, sid: str, ip: str | None) -> Principal | None:
    stored = repository.session(conn, sid_hash=sha256(sid))
    if stored is None or stored.expires_at <= datetime.now(UTC):
        return None
    row = repository.user(conn, user_id=stored.user_id)
    return None if row is None else principal_for_user(conn, row=row, ip=ip)


# --- login and sessions ---


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


# --- /api/admin/user ---


def _permission_list(conn: Connection, principal: Principal) -> list[dict[str, Any]]:
    environments = [row.name for row in projects.all_environments(conn)]
    listed: list[dict[str, Any]] = []
    for permission, project in sorted(principal.grants, key=lambda g: (g[1] or "", g[0])):
        if project is None:
            listed.append({"permission": permission})
        elif permission in perms.ENVIRONMENT_PERMISSIONS:
            listed.extend(
                {"project": project, "environment": env, "permission": permission}
                for env in environments
            )
        else:
            listed.append({"project": project, "permission": permission})
    return listed


def me(conn: Connection, *, principal: Principal, via_session: bool) -> dict[str, Any]:
    if principal.user_id is None:
        # An admin API token: Unleash shows the token's own user object.
        user: dict[str, Any] = {
            "username": principal.name,
            "permissions": [perms.ADMIN],
            "environment": principal.environment,
            "type": principal.kind,
            # Unleash echoes the secret here; leash has only the masked form.
            "secret": principal.display_secret,
            "projects": list(principal.projects),
            "internalAdminTokenUserId": ADMIN_TOKEN_USER_ID,
        }
        permissions = [{"permission": perms.ADMIN}]
    else:
        row = repository.user(conn, user_id=principal.user_id)
        if row is None:
            raise NotFoundError("No user found")
        user = user_json(row, variant="session" if via_session else "pat")
        if via_session:
            user["deletedSessions"] = 0
            user["activeSessions"] = repository.active_sessions(conn, user_id=row.id, now=utcnow())
        permissions = _permission_list(conn, principal)
    return {"user": user, "permissions": permissions, "feedback": [], "splash": {}}


# --- personal access tokens ---


def _pat_json(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "description": row.description,
        "expiresAt": iso(row.expires_at),
        "userId": row.user_id,
        "createdAt": iso(row.created_at),
        "seenAt": iso(row.seen_at),
    }


def list_pats(conn: Connection, *, user_id: int) -> dict[str, Any]:
    return {"pats": [_pat_json(row) for row in repository.pats_of(conn, user_id=user_id)]}


def create_pat(
    conn: Connection, *, user_id: int, description: str, expires_at: datetime, actor: Actor
) -> dict[str, Any]:
    if expires_at <= datetime.now(UTC):
        raise BadDataError.single("The expiry date should be in future.")
    secret = PAT_PREFIX + secrets.token_hex(28)
    row = repository.insert_pat(
        conn,
        secret_hash=sha256(secret),
        user_id=user_id,
        description=description,
        expires_at=expires_at,
    )
    events.record(
        conn,
        actor=actor,
        type="pat-created",
        data={"description": description, "expiresAt": iso(expires_at), "secret": MASKED},
    )
    body = _pat_json(row)
    body["secret"] = secret
    return body


def delete_pat(conn: Connection, *, user_id: int, pat_id: int, actor: Actor) -> None:
    row = repository.pat(conn, pat_id=pat_id) if fits_int32(pat_id) else None
    if row is None or row.user_id != user_id:
        raise NotFoundError("No PAT found.")
    repository.delete_pat(conn, pat_id=pat_id, user_id=user_id)
    data = _pat_json(row)
    data["secret"] = MASKED
    events.record(conn, actor=actor, type="pat-deleted", data=data)


# --- user admin ---


def _root_role_id(conn: Connection, value: Any) -> int:
    role_id: int | None = None
    if isinstance(value, bool):
        role_id = None
    elif isinstance(value, int):
        role_id = value
    elif isinstance(value, str):
        role_id = roles.ROOT_ROLE_NAMES.get(value)
        if role_id is None and value.isdigit():
            role_id = int(value)
    if role_id is None or role_id not in roles.ROOT_ROLES:
        raise BadDataError.single(f"Could not find rootRole={value}")
    return role_id


def list_users(conn: Connection) -> dict[str, Any]:
    return {
        "users": [user_json(row, variant="list") for row in repository.all_users(conn)],
        "rootRoles": [_role_json(row) for row in repository.root_roles(conn)],
    }


def get_user(conn: Connection, *, user_id: int) -> Any:
    # No user has an id its 32-bit column cannot hold; asking the database would overflow.
    row = repository.user(conn, user_id=user_id) if fits_int32(user_id) else None
    if row is None:
        raise NotFoundError("No user found")
    return row


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def create_user(conn: Connection, *, body: CreateUser, actor: Actor) -> dict[str, Any]:
    username = _clean(body.get("username"))
    email = _clean(body.get("email"))
    if username is None and email is None:
        raise BadDataError.single("You must specify username or email")
    role_id = _root_role_id(conn, body.get("rootRole"))
    if repository.user_exists(conn, username=username, email=email):
        raise BadDataError.single("User already exists")
    password = body.get("password")
    password_hash = None
    if password:
        check_password(str(password))
        password_hash = hash_password(str(password))
    user_id = repository.insert_user(
        conn,
        username=username,
        email=email,
        name=_clean(body.get("name")),
        password_hash=password_hash,
        root_role_id=role_id,
    )
    row = get_user(conn, user_id=user_id)
    events.record(conn, actor=actor, type="user-created", data=_event_user(row))
    return user_json(row, variant="create")


def update_user(
    conn: Connection, *, user_id: int, body: UpdateUser, actor: Actor
) -> dict[str, Any]:
    before = get_user(conn, user_id=user_id)
    values: dict[str, Any] = {}
    if "name" in body:
        values["name"] = _clean(body["name"])
    if "email" in body:
        email = _clean(body["email"])
        if (
            email
            and email.lower() != (before.email or "").lower()
            and repository.user_exists(conn, username=None, email=email)
        ):
            raise BadDataError.single("User already exists")
        values["email"] = email
    if body.get("rootRole") is not None:
        values["root_role_id"] = _root_role_id(conn, body["rootRole"])
    repository.update_user(conn, user_id=user_id, values=values)
    after = get_user(conn, user_id=user_id)
    events.record(
        conn,
        actor=actor,
        type="user-updated",
        data=_event_user(after),
        pre_data=_event_user(before),
    )
    return user_json(after, variant="get")


def delete_user(conn: Connection, *, user_id: int, actor: Actor) -> None:
    row = get_user(conn, user_id=user_id)
    repository.delete_user(conn, user_id=user_id)
    events.record(conn, actor=actor, type="user-deleted", pre_data=_event_user(row))


def change_password(conn: Connection, *, user_id: int, password: str) -> None:
    get_user(conn, user_id=user_id)
    check_password(password)
    repository.update_user(conn, user_id=user_id, values={"password_hash": hash_password(password)})
    # A new password ends every open session: whoever knew the old one is logged out.
    repository.delete_sessions_of(conn, user_id=user_id)


# --- project roles ---


def _project_role(conn: Connection, *, project: str, role_id: int) -> None:
    if not projects.exists(conn, project_id=project):
        raise NotFoundError(f"Could not find project with id {project}")
    if role_id not in roles.PROJECT_ROLES:
        raise NotFoundError(f"Could not find role with id {role_id}")


def add_project_access(
    conn: Connection, *, project: str, role_id: int, user_ids: list[int], actor: Actor
) -> None:
    _project_role(conn, project=project, role_id=role_id)
    for user_id in user_ids:
        get_user(conn, user_id=user_id)
    # In one order for every request: two requests adding overlapping users in opposite orders
    # would otherwise each wait for a row the other inserted (a deadlock on PostgreSQL).
    for user_id in sorted(set(user_ids)):
        repository.add_project_role(conn, user_id=user_id, role_id=role_id, project=project)
    events.record(
        conn,
        actor=actor,
        type="project-access-added",
        data={"roleId": role_id, "groups": [], "users": user_ids},
        project=project,
    )


def remove_project_access(
    conn: Connection, *, project: str, role_id: int, user_id: int, actor: Actor
) -> None:
    _project_role(conn, project=project, role_id=role_id)
    get_user(conn, user_id=user_id)
    if repository.remove_project_role(conn, user_id=user_id, role_id=role_id, project=project):
        events.record(
            conn,
            actor=actor,
            type="project-access-user-roles-deleted",
            pre_data={"roleId": role_id, "userId": user_id},
            project=project,
        )


def project_access(conn: Connection, *, project: str) -> dict[str, Any]:
    if not projects.exists(conn, project_id=project):
        raise NotFoundError(f"Could not find project with id {project}")
    rows = repository.project_access(conn, project=project)
    by_user: dict[int, dict[str, Any]] = {}
    for row in rows:
        entry = by_user.get(row.id)
        if entry is None:
            entry = user_json(row, variant="pat")
            entry.update({"roleId": row.role_id, "roles": [], "addedAt": iso(row.created_at)})
            by_user[row.id] = entry
        entry["roles"].append(row.role_id)
    project_roles = [repository.role(conn, role_id=r) for r in roles.PROJECT_ROLES]
    return {
        "roles": [_role_json(r) for r in project_roles if r is not None],
        "users": list(by_user.values()),
        "groups": [],
    }


# --- bootstrap ---

_BOOTSTRAP_HASHES: dict[str, str] = {}


def ensure_default_admin(conn: Connection, *, username: str, password: str) -> bool:
    """An empty users table gets one Admin, as Unleash's initAdminUser does."""
    if repository.count_users(conn) > 0:
        return False
    # Hashing is slow on purpose; every app this process starts (several workers, a test
    # suite) reuses one hash of the same configured password.
    password_hash = _BOOTSTRAP_HASHES.get(password)
    if password_hash is None:
        password_hash = _BOOTSTRAP_HASHES.setdefault(password, hash_password(password))
    repository.insert_user(
        conn,
        username=username,
        email=None,
        name=None,
        password_hash=password_hash,
        root_role_id=roles.ADMIN_ROLE,
    )
    return True
