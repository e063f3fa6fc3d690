"""Personal access tokens: a user's own admin-API secrets, listed, created and deleted."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from leash.db.base import iso
from leash.errors import BadDataError, NotFoundError
from leash.events import service as events
from leash.identity import PAT_PREFIX, Actor
from leash.secrets import sha256
from leash.users import repository
from leash.users.views import pat_json
from leash.validation import fits_int32

MASKED = "***"


def list_pats(conn: Connection, *, user_id: int) -> dict[str, Any]:
    return {"pats": [pat_json(row) for row in repository.pats_of(conn, user_id=user_id)]}


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
    body = pat_json(row)
    body["secret"] = secret
    return body


def delete_pat(conn: Connection, *, user_id: int, pat_id: int, actor: Actor) -> None:
    row = repository.pat(conn, pat_id=pat_id) if fits_int32(pat_id) else None
    if row is None or row.user_id != user_id:
        raise NotFoundError("No PAT found.")
    repository.delete_pat(conn, pat_id=pat_id, user_id=user_id)
    data = pat_json(row)
    data["secret"] = MASKED
    events.record(conn, actor=actor, type="pat-deleted", data=data)
