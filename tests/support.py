"""Constants and helpers shared by tests (importable as `support`)."""

from __future__ import annotations

from typing import Any

ADMIN_SECRET = "*:*.admin-secret"
CLIENT_SECRET = "*:development.client-secret"
FRONTEND_SECRET = "*:development.frontend-secret"
ADMIN = {"Authorization": ADMIN_SECRET}
CLIENT = {"Authorization": CLIENT_SECRET}
FRONTEND = {"Authorization": FRONTEND_SECRET}


def without(body: Any, *keys: str) -> Any:
    """A copy of a JSON body with volatile keys (ids, timestamps) removed, at every depth."""
    if isinstance(body, dict):
        return {k: without(v, *keys) for k, v in body.items() if k not in keys}
    if isinstance(body, list):
        return [without(item, *keys) for item in body]
    return body
