"""SQL for users, project role assignments, personal access tokens and sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from leash.db.base import utcnow
from leash.users.models import (
    personal_access_tokens,
    reset_tokens,
    role_user,
    roles,
    sessions,
    used_passwords,
    users,
)

# --- roles ---


def root_roles(conn: Connection) -> list[Any]:
    query = select(roles).where(roles.c.type == "root").order_by(roles.c.id)
    return list(conn.execute(query).all())


def role(conn: Connection, *, role_id: int) -> Any:
    return conn.execute(select(roles).where(roles.c.id == role_id)).one_or_none()


# --- users ---


def user(conn: Connection, *, user_id: int) -> Any:
    return conn.execute(select(users).where(users.c.id == user_id)).one_or_none()


def all_users(conn: Connection) -> list[Any]:
    return list(conn.execute(select(users).order_by(users.c.id)).all())


def user_by_login(conn: Connection, *, login: str) -> Any:
    """Unleash logs in with the username or the email, the email case-insensitively."""
    query = select(users).where(
        or_(users.c.username == login, func.lower(users.c.email) == login.lower())
    )
    rows = conn.execute(query.order_by(users.c.id)).all()
    return rows[0] if rows else None


def user_exists(conn: Connection, *, username: str | None, email: str | None) -> bool:
    clauses = []
    if username:
        clauses.append(users.c.username == username)
    if email:
        clauses.append(func.lower(users.c.email) == email.lower())
    if not clauses:
        return False
    return conn.execute(select(users.c.id).where(or_(*clauses))).first() is not None


def insert_user(
    conn: Connection,
    *,
    username: str | None,
    email: str | None,
    name: str | None,
    password_hash: str | None,
    root_role_id: int,
) -> int:
    result = conn.execute(
        users.insert()
        .values(
            username=username,
            email=email,
            name=name,
            password_hash=password_hash,
            root_role_id=root_role_id,
            login_attempts=0,
            created_at=utcnow(),
        )
        .returning(users.c.id)
    )
    return int(result.scalar_one())


def update_user(conn: Connection, *, user_id: int, values: dict[str, Any]) -> None:
    if values:
        conn.execute(users.update().where(users.c.id == user_id).values(**values))


def delete_user(conn: Connection, *, user_id: int) -> None:
    conn.execute(users.delete().where(users.c.id == user_id))


def count_users(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(users)).scalar_one())


# --- project roles ---


def project_roles_of(conn: Connection, *, user_id: int) -> list[Any]:
    query = select(role_user.c.role_id, role_user.c.project).where(role_user.c.user_id == user_id)
    return list(conn.execute(query).all())


def add_project_role(conn: Connection, *, user_id: int, role_id: int, project: str) -> None:
    """Give the role, or leave it as it is: a racing request adding the same one is no error."""
    values = {"user_id": user_id, "role_id": role_id, "project": project, "created_at": utcnow()}
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    conn.execute(insert(role_user).values(**values).on_conflict_do_nothing())


def remove_project_role(conn: Connection, *, user_id: int, role_id: int, project: str) -> int:
    result = conn.execute(
        role_user.delete().where(
            role_user.c.user_id == user_id,
            role_user.c.role_id == role_id,
            role_user.c.project == project,
        )
    )
    return int(result.rowcount)


def project_access(conn: Connection, *, project: str) -> list[Any]:
    query = (
        select(role_user.c.role_id, role_user.c.created_at, users)
        .join(users, users.c.id == role_user.c.user_id)
        .where(role_user.c.project == project)
        .order_by(users.c.id, role_user.c.role_id)
    )
    return list(conn.execute(query).all())


# --- personal access tokens ---


def insert_pat(
    conn: Connection,
    *,
    secret_hash: str,
    user_id: int,
    description: str,
    expires_at: datetime,
) -> Any:
    result = conn.execute(
        personal_access_tokens.insert()
        .values(
            secret_hash=secret_hash,
            user_id=user_id,
            description=description,
            expires_at=expires_at,
            created_at=utcnow(),
        )
        .returning(personal_access_tokens.c.id)
    )
    return pat(conn, pat_id=int(result.scalar_one()))


def pat(conn: Connection, *, pat_id: int) -> Any:
    query = select(personal_access_tokens).where(personal_access_tokens.c.id == pat_id)
    return conn.execute(query).one_or_none()


def pat_by_hash(conn: Connection, *, secret_hash: str) -> Any:
    query = select(personal_access_tokens).where(
        personal_access_tokens.c.secret_hash == secret_hash
    )
    return conn.execute(query).one_or_none()


def pats_of(conn: Connection, *, user_id: int) -> list[Any]:
    query = (
        select(personal_access_tokens)
        .where(personal_access_tokens.c.user_id == user_id)
        .order_by(personal_access_tokens.c.id)
    )
    return list(conn.execute(query).all())


def delete_pat(conn: Connection, *, pat_id: int, user_id: int) -> int:
    result = conn.execute(
        personal_access_tokens.delete().where(
            personal_access_tokens.c.id == pat_id, personal_access_tokens.c.user_id == user_id
        )
    )
    return int(result.rowcount)


def touch_pat(conn: Connection, *, pat_id: int, seen_at: datetime) -> None:
    conn.execute(
        personal_access_tokens.update()
        .where(personal_access_tokens.c.id == pat_id)
        .values(seen_at=seen_at)
    )


# --- sessions ---


def insert_session(conn: Connection, *, sid_hash: str, user_id: int, expires_at: datetime) -> None:
    conn.execute(
        sessions.insert().values(
            sid_hash=sid_hash, user_id=user_id, created_at=utcnow(), expires_at=expires_at
        )
    )


def session(conn: Connection, *, sid_hash: str) -> Any:
    return conn.execute(select(sessions).where(sessions.c.sid_hash == sid_hash)).one_or_none()


def delete_session(conn: Connection, *, sid_hash: str) -> None:
    conn.execute(sessions.delete().where(sessions.c.sid_hash == sid_hash))


def delete_sessions_of(conn: Connection, *, user_id: int, keep_sid_hash: str | None = None) -> None:
    query = sessions.delete().where(sessions.c.user_id == user_id)
    if keep_sid_hash is not None:
        query = query.where(sessions.c.sid_hash != keep_sid_hash)
    conn.execute(query)


def delete_expired_sessions(conn: Connection, *, now: datetime) -> None:
    conn.execute(sessions.delete().where(sessions.c.expires_at <= now))


def active_sessions(conn: Connection, *, user_id: int, now: datetime) -> int:
    query = (
        select(func.count())
        .select_from(sessions)
        .where(sessions.c.user_id == user_id, sessions.c.expires_at > now)
    )
    return int(conn.execute(query).scalar_one())


# --- searches and counts for user admin ---


def search_users(conn: Connection, *, query: str) -> list[Any]:
    """Unleash's search: the name containing the query, or the username or email starting
    with it, case-insensitively (wildcards in the query are taken literally)."""
    needle = query.lower()
    condition = or_(
        func.lower(users.c.name).contains(needle, autoescape=True),
        func.lower(users.c.username).startswith(needle, autoescape=True),
        func.lower(users.c.email).startswith(needle, autoescape=True),
    )
    return list(conn.execute(select(users).where(condition).order_by(users.c.id)).all())


def count_admins(conn: Connection, *, admin_role_id: int) -> tuple[int, int]:
    """Admins with a password, admins without one."""
    query = select(users.c.password_hash).where(users.c.root_role_id == admin_role_id)
    hashes = [row.password_hash for row in conn.execute(query).all()]
    with_password = sum(1 for value in hashes if value)
    return with_password, len(hashes) - with_password


def inactive_users(conn: Connection, *, before: datetime) -> list[Any]:
    """Users not seen, not created and whose tokens were not used since `before`: one row per
    personal access token, as Unleash's left join gives them."""
    pat = personal_access_tokens.alias("pat")
    query = (
        select(
            users.c.id,
            users.c.name,
            users.c.username,
            users.c.email,
            users.c.seen_at,
            users.c.created_at,
            pat.c.seen_at.label("pat_seen_at"),
        )
        .select_from(users.outerjoin(pat, pat.c.user_id == users.c.id))
        .where(
            or_(users.c.seen_at.is_(None), users.c.seen_at < before),
            users.c.created_at < before,
            or_(pat.c.seen_at.is_(None), pat.c.seen_at < before),
        )
        .order_by(users.c.id, pat.c.id)
    )
    return list(conn.execute(query).all())


def project_role_rows(conn: Connection, *, user_id: int, project: str | None) -> list[Any]:
    """The user's project roles (in `project` only, when given), with the role's fields."""
    query = (
        select(roles, role_user.c.project)
        .join(role_user, role_user.c.role_id == roles.c.id)
        .where(role_user.c.user_id == user_id)
        .order_by(role_user.c.project, roles.c.id)
    )
    if project is not None:
        query = query.where(role_user.c.project == project)
    return list(conn.execute(query).all())


# --- password history ---


def add_used_password(conn: Connection, *, user_id: int, password_hash: str) -> None:
    conn.execute(
        used_passwords.insert().values(
            user_id=user_id, password_hash=password_hash, used_at=utcnow()
        )
    )


def used_password_rows(conn: Connection, *, user_id: int) -> list[Any]:
    query = (
        select(used_passwords)
        .where(used_passwords.c.user_id == user_id)
        .order_by(used_passwords.c.id.desc())
    )
    return list(conn.execute(query).all())


def delete_used_passwords(conn: Connection, *, ids: list[int]) -> None:
    if ids:
        conn.execute(used_passwords.delete().where(used_passwords.c.id.in_(ids)))


# --- reset tokens ---


def insert_reset_token(
    conn: Connection,
    *,
    token_hash: str,
    user_id: int,
    purpose: str,
    created_by: str | None,
    expires_at: datetime,
) -> None:
    conn.execute(
        reset_tokens.insert().values(
            token_hash=token_hash,
            user_id=user_id,
            purpose=purpose,
            created_by=created_by,
            created_at=utcnow(),
            expires_at=expires_at,
        )
    )


def active_reset_token(conn: Connection, *, token_hash: str, now: datetime) -> Any:
    query = select(reset_tokens).where(
        reset_tokens.c.token_hash == token_hash, reset_tokens.c.expires_at > now
    )
    return conn.execute(query).one_or_none()


def recent_reset_token(conn: Connection, *, user_id: int, since: datetime) -> bool:
    query = select(reset_tokens.c.token_hash).where(
        and_(
            reset_tokens.c.user_id == user_id,
            reset_tokens.c.purpose == "reset",
            reset_tokens.c.created_at > since,
        )
    )
    return conn.execute(query).first() is not None


def expire_reset_tokens(conn: Connection, *, user_id: int, now: datetime) -> None:
    conn.execute(
        reset_tokens.update()
        .where(reset_tokens.c.user_id == user_id, reset_tokens.c.expires_at > now)
        .values(expires_at=now)
    )


def use_reset_token(conn: Connection, *, token_hash: str, now: datetime) -> None:
    conn.execute(
        reset_tokens.update()
        .where(reset_tokens.c.token_hash == token_hash)
        .values(used_at=now, expires_at=now)
    )


def delete_expired_reset_tokens(conn: Connection, *, before: datetime) -> None:
    conn.execute(reset_tokens.delete().where(reset_tokens.c.expires_at < before))


def user_by_email(conn: Connection, *, email: str) -> Any:
    query = select(users).where(func.lower(users.c.email) == email.lower()).order_by(users.c.id)
    rows = conn.execute(query).all()
    return rows[0] if rows else None
