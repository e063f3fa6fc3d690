"""The evaluation context of a frontend request, built as Unleash's frontend API builds it."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from leash.engine.context import js_string, now_rfc3339

# currentTime is not among them: as in Unleash, a request's currentTime becomes a property and
# DATE_* constraints use the server's clock, so a browser cannot move its flags in time.
TOP_LEVEL = ("appName", "environment", "userId", "sessionId", "remoteAddress")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else js_string(value)


def _js_truthy(value: Any) -> bool:
    # JavaScript's: an empty array or object is true, 0 and "" are not.
    return value is not None and value is not False and value != 0 and value != ""


def from_query(params: list[tuple[str, str]]) -> dict[str, Any]:
    """`?userId=a&properties[country]=NO&anything=x`: bracketed and unknown keys are properties;
    a bracketed key wins over the same unknown key, whatever their order."""
    context: dict[str, Any] = {}
    rest: dict[str, str] = {}
    bracketed: dict[str, str] = {}
    for key, value in params:
        if key.startswith("properties[") and key.endswith("]"):
            bracketed[key[len("properties[") : -1]] = value
        elif key in TOP_LEVEL:
            context[key] = value
        else:
            rest[key] = value
    context["properties"] = {**rest, **bracketed}
    return context


def from_body(body: Mapping[str, Any]) -> dict[str, Any]:
    """`{"context": {...}}`: unknown keys are properties; `properties` wins over them."""
    raw = body.get("context")
    raw = raw if isinstance(raw, Mapping) else {}
    context: dict[str, Any] = {}
    properties: dict[str, str] = {}
    for key, value in raw.items():
        if key == "properties":
            continue
        if key in TOP_LEVEL:
            # Unleash keeps only truthy top-level fields (0, false and "" are dropped).
            if _js_truthy(value):
                context[key] = _text(value)
        elif (text := _text(value)) is not None:
            properties[key] = text
    given = raw.get("properties")
    if isinstance(given, Mapping):
        for key, value in given.items():
            text = _text(value)
            if text is not None:
                properties[str(key)] = text
    context["properties"] = properties
    return context


def complete(context: dict[str, Any], *, client_ip: str | None, environment: str) -> dict[str, Any]:
    """Defaults Unleash fills in: the caller's address, a session id, the token's environment,
    the server's time. Empty top-level fields count as absent."""
    if not context.get("remoteAddress"):
        context["remoteAddress"] = client_ip
    if not context.get("sessionId"):
        context["sessionId"] = secrets.token_hex(18)
    for key in TOP_LEVEL:
        if not context.get(key):
            context.pop(key, None)
    if not context.get("environment"):
        context["environment"] = environment
    context["currentTime"] = now_rfc3339()
    return context
