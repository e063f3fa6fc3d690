"""What of an answer and its events is compared: error ids and other helpers' tags left out,
lists sorted (Unleash lists tags in PostgreSQL's row order, leash in the order they were made)."""

from __future__ import annotations

import json
from typing import Any

from tags_scenario import PREFIX

EVENT_KEYS = ("type", "featureName", "project", "data", "preData", "tags")


def _ours(item: dict[str, Any]) -> bool:
    name = item.get("name", item.get("value", ""))
    return PREFIX in str(name) or item.get("name") == "simple"


def _sorted(items: list[Any]) -> list[Any]:
    return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))


def body(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    out = dict(value)
    if isinstance(out.get("id"), str):
        out["id"] = "<uuid>"
    for key in ("tags", "tagTypes"):
        if isinstance(out.get(key), list):
            out[key] = _sorted([item for item in out[key] if _ours(item)])
    return out


def event(row: dict[str, Any]) -> dict[str, Any]:
    out = {key: row.get(key) for key in EVENT_KEYS}
    out["tags"] = _sorted(out["tags"] or [])
    return out


def events(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One step's events of this scenario, in no particular order (Unleash stores some of them
    from parallel promises)."""
    mine = [event(row) for row in rows if PREFIX in json.dumps(row)]
    return _sorted(mine)
