"""Make a playground answer comparable across servers.

Strategy ids are random ULIDs (uuids before Unleash 8), segment ids depend on the database, and
Unleash returns flags in PostgreSQL's physical row order (its query has no ORDER BY): uuids and
ULIDs become "<id>", segment ids "<segment id>", and only the scenario's flags are kept, sorted
by name.
"""

from __future__ import annotations

import re
from typing import Any

from playground_scenario import PREFIX

UUID_RE = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    r"|\b[0-9A-HJKMNP-TV-Z]{26}\b"
)


def _uuids(value: Any) -> Any:
    if isinstance(value, str):
        return UUID_RE.sub("<id>", value)
    if isinstance(value, dict):
        return {k: _uuids(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_uuids(v) for v in value]
    return value


def _feature(feature: dict[str, Any]) -> dict[str, Any]:
    for strategy in feature.get("strategies", {}).get("data", []):
        for segment in strategy.get("segments", []):
            segment["id"] = "<segment id>"
    return feature


def answer(body: Any) -> Any:
    if isinstance(body, dict) and isinstance(body.get("features"), list):
        body = dict(body)
        mine = [f for f in body["features"] if f["name"].startswith(PREFIX)]
        body["features"] = [_feature(f) for f in sorted(mine, key=lambda f: f["name"])]
    return _uuids(body)
