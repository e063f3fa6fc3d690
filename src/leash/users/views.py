"""Users, roles and personal access tokens as Unleash shows them in answers and events."""

from __future__ import annotations

from typing import Any

from leash.db.base import iso
from leash.secrets import gravatar_url


def display_name(row: Any) -> str:
    """How events name a user: the email when there is one, as Unleash does."""
    return str(row.email or row.username or "unknown")


def _image_url(row: Any) -> str:
    key = (row.email or row.username or "").strip().lower()
    return gravatar_url(key)


def user_json(row: Any, *, variant: str = "get") -> dict[str, Any]:
    """A user as Unleash shows it; the keys differ slightly between endpoints.

    variant: "list" (user-admin list), "get" (user-admin get/update), "create", "session"
    (login and /api/admin/user for a session), "pat" (/api/admin/user for a PAT) and
    "search" (user-admin search).
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
    if variant == "search":
        # Unleash's search selects fewer columns.
        body.update(scimId=None, seatType=None, companyRole=None, productUpdatesEmailConsent=None)
        return body
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
        # Set by create_user when it makes the link. Links are stored only as digests, so the
        # list cannot show a pending invitation's link again as Unleash does.
        body["inviteLink"] = ""
    if variant == "create":
        body["emailSent"] = False
    return body


def event_user(row: Any) -> dict[str, Any]:
    """A user as the user-* events carry it."""
    body: dict[str, Any] = {"id": row.id}
    for key in ("name", "username", "email"):
        value = getattr(row, key)
        if value is not None:
            body[key] = value
    body["rootRole"] = row.root_role_id
    return body


def role_json(row: Any) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "type": row.type, "description": row.description}


def pat_json(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "description": row.description,
        "expiresAt": iso(row.expires_at),
        "userId": row.user_id,
        "createdAt": iso(row.created_at),
        "seenAt": iso(row.seen_at),
    }
