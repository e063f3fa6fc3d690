"""Unleash 8.2's addon provider definitions, recorded from its GET /api/admin/addons and shipped
as data (providers.json): what getAddons lists and what configurations are checked against."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, Final

_FILE: Final = Path(__file__).with_name("providers.json")


@cache
def definitions() -> tuple[dict[str, Any], ...]:
    loaded: list[dict[str, Any]] = json.loads(_FILE.read_text(encoding="utf-8"))
    return tuple(loaded)


def by_name(name: str) -> dict[str, Any] | None:
    return next((d for d in definitions() if d["name"] == name), None)


def sensitive(name: str) -> frozenset[str]:
    definition = by_name(name) or {}
    return frozenset(p["name"] for p in definition.get("parameters", ()) if p.get("sensitive"))


def required(name: str) -> list[str]:
    definition = by_name(name) or {}
    return [p["name"] for p in definition.get("parameters", ()) if p.get("required")]
