"""One SDK instance as it waits in the registrations buffer (leash.metrics.buffer)."""

from __future__ import annotations

from dataclasses import dataclass, field

# Unleash's SYSTEM_USER.username: the creator of applications SDKs registered.
SYSTEM_USER = "unleash_system_user"


@dataclass
class Seen:
    """One SDK instance as registered or reported; None for what it has not told."""

    app_name: str
    instance_id: str
    environment: str
    client_ip: str | None = None
    sdk_version: str | None = None
    sdk_type: str | None = None
    strategies: list[str] | None = None
    projects: list[str] = field(default_factory=list)
    created_by: str | None = None
