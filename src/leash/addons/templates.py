"""Mustache as Unleash's webhook renders it (mustache.js): its HTML escaping and its way of
printing booleans and nulls, with pystache."""

from __future__ import annotations

import json
from typing import Any, Final

import pystache  # type: ignore[import-untyped]

_ESCAPES: Final = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "'": "&#39;",
        "/": "&#x2F;",
        "`": "&#x60;",
        "=": "&#x3D;",
    }
)
_MARKDOWN: Final = "\0UNLEASH_EVENT_MARKDOWN\0"


def _escape(text: str) -> str:
    return text.translate(_ESCAPES)


class _Renderer(pystache.Renderer):  # type: ignore[misc]
    def str_coerce(self, val: Any) -> str:
        if isinstance(val, bool):
            return "true" if val else "false"
        if val is None:
            return ""
        return str(val)


def _inside_string(text: str, offset: int) -> bool:
    inside = escaped = False
    for char in text[:offset]:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            inside = not inside
    return inside


def render(template: str, *, event: dict[str, Any], markdown: str) -> str:
    """The template with {event, eventJson, eventMarkdown}; the markdown JSON-escaped where it
    lands inside a double-quoted string, as Unleash's webhook places it."""
    renderer = _Renderer(escape=_escape, missing_tags="ignore")
    context = {
        "event": event,
        # Encoded twice, as Unleash does, so {{{eventJson}}} is a JSON string of the event.
        "eventJson": json.dumps(_compact(event), ensure_ascii=False),
        "eventMarkdown": _MARKDOWN,
    }
    rendered: str = renderer.render(template, context)
    escaped_markdown = json.dumps(markdown, ensure_ascii=False)[1:-1]
    pieces = rendered.split(_MARKDOWN)
    out, offset = [pieces[0]], len(pieces[0])
    for piece in pieces[1:]:
        out.append(escaped_markdown if _inside_string(rendered, offset) else markdown)
        out.append(piece)
        offset += len(_MARKDOWN) + len(piece)
    return "".join(out)


def _compact(event: dict[str, Any]) -> str:
    return json.dumps(event, ensure_ascii=False, separators=(",", ":"))


def event_json(event: dict[str, Any]) -> str:
    """JSON.stringify(event)."""
    return _compact(event)
