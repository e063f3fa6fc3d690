"""Flags and strategies as Unleash's admin API shows them."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import Connection

from leash.db.base import iso
from leash.identity import ADMIN_TOKEN_USER_ID, SYSTEM_USER_ID
from leash.secrets import gravatar_url
from leash.users import repository as users_repository


def flag_json(row: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": row.name,
        "description": row.description,
        "type": row.type,
        "project": row.project,
        "stale": bool(row.stale),
        "createdAt": iso(row.created_at),
        "impressionData": bool(row.impression_data),
    }
    if row.archived_at is not None:
        body["archivedAt"] = iso(row.archived_at)
    body["archived"] = row.archived_at is not None
    return body


def _image_url(ident: str) -> str:
    return gravatar_url(ident.strip().lower())


def user_ref(conn: Connection, user_id: int | None) -> dict[str, Any] | None:
    """A user as flags show creators and collaborators: {id, name, imageUrl}."""
    if user_id == ADMIN_TOKEN_USER_ID:
        name = "Unleash Admin Token User"
        return {"id": user_id, "name": name, "imageUrl": _image_url(name)}
    if user_id == SYSTEM_USER_ID:
        return {
            "id": user_id,
            "name": "Unleash System",
            "imageUrl": _image_url("system@getunleash.io"),
        }
    if user_id is None:
        return None
    row = users_repository.user(conn, user_id=user_id)
    if row is None:
        return None
    name = row.name or row.username or row.email or "unknown"
    return {"id": row.id, "name": name, "imageUrl": _image_url(row.email or name)}


def strategy_json(row: Any, segment_ids: list[int]) -> dict[str, Any]:
    """The strategy as POST and GET .../strategies/{id} answer it."""
    return {
        "id": row.id,
        "name": row.strategy_name,
        "constraints": row.constraints or [],
        "parameters": stringify(row.parameters),
        "variants": row.variants or [],
        "segments": segment_ids,
        "title": row.title,
        "disabled": bool(row.disabled),
        "sortOrder": row.sort_order,
    }


def strategy_event_json(row: Any, segment_ids: list[int]) -> dict[str, Any]:
    """Unleash's featureStrategyToPublic: PUT answers and strategy events."""
    return {
        "id": row.id,
        "name": row.strategy_name,
        "title": row.title,
        "disabled": bool(row.disabled),
        "constraints": row.constraints or [],
        "parameters": stringify(row.parameters),
        "variants": row.variants or [],
        "sortOrder": row.sort_order,
        "segments": segment_ids,
    }


def stringify(parameters: dict[str, Any] | None) -> dict[str, str]:
    """Unleash's ensureStringValue: every parameter value is served as a string."""
    result: dict[str, str] = {}
    for key, value in (parameters or {}).items():
        if value is None:
            result[key] = ""
        elif isinstance(value, bool):
            result[key] = "true" if value else "false"
        elif isinstance(value, dict | list):
            result[key] = orjson.dumps(value).decode()
        elif isinstance(value, float) and value.is_integer():
            result[key] = str(int(value))
        else:
            result[key] = str(value)
    return result
