"""Who is acting: the value types every layer passes around, and the one reading of credentials.

A leaf module (it imports nothing of leash): services record events as an `Actor` and check
permissions on a `Principal` without importing `leash.auth`, which looks principals up through
the tokens and users services.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# "admin" | "client" | "frontend" are API tokens; "user" is a session or a personal access token.
PrincipalKind = Literal["admin", "client", "frontend", "user"]
# The kinds of API token; "backend" is Unleash 7's name for a client token, still accepted.
TOKEN_TYPES = ("admin", "client", "frontend")
CLIENT_TYPES = ("client", "backend")

ADMIN_TOKEN_USER_ID = -42
SYSTEM_USER_ID = -1337
SESSION_COOKIE = "unleash-session"
PAT_PREFIX = "user:"


@dataclass(frozen=True)
class Actor:
    """Who an event is attributed to."""

    name: str
    user_id: int | None
    ip: str | None = None


SYSTEM_ACTOR = Actor(name="unleash_system_user", user_id=SYSTEM_USER_ID)


@dataclass(frozen=True)
class Principal:
    kind: PrincipalKind
    name: str
    projects: tuple[str, ...]
    environment: str
    ip: str | None = None
    # Bare root permission names; kept for callers that build a Principal by hand.
    permissions: frozenset[str] = field(default_factory=frozenset)
    user_id: int | None = None
    # (permission, project) pairs: project None for root grants, "*" for every project.
    grants: frozenset[tuple[str, str | None]] = field(default_factory=frozenset)
    # For API tokens: the masked secret the tokens table can show (never the secret).
    display_secret: str | None = None

    @property
    def actor(self) -> Actor:
        if self.kind == "admin":
            return Actor(name=self.name, user_id=ADMIN_TOKEN_USER_ID, ip=self.ip)
        return Actor(name=self.name, user_id=self.user_id, ip=self.ip)

    @property
    def all_projects(self) -> bool:
        return "*" in self.projects


def secret_of(header: str | None) -> str | None:
    """The secret an Authorization header carries ("Bearer " optional), None when it has none:
    the one reading of the header, for auth, the hot paths and the CSRF check alike."""
    if header is None:
        return None
    header = header.strip()
    if header[:7].lower() == "bearer ":
        header = header[7:].strip()
    return header or None
