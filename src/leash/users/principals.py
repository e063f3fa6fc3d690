"""Who a personal access token or a login session is: the user and their grants (leash.auth)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from leash.identity import Principal
from leash.secrets import sha256
from leash.users import repository, roles
from leash.users.views import display_name


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
