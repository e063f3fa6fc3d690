"""What the flag-link operations take (Unleash's linkSchema)."""

from __future__ import annotations

from typing import Final, NotRequired, TypedDict

from leash.validation import Schema

LINK: Final[Schema] = {
    "type": "object",
    "required": ["url"],
    "properties": {
        "url": {"type": "string"},
        "title": {"type": "string", "nullable": True, "maxLength": 1000},
    },
}


class Link(TypedDict):
    url: str
    title: NotRequired[str | None]
