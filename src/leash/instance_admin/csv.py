"""The statistics as one CSV row under a header, quoted as json2csv quotes (Unleash's CSV
library): strings and nested values (as JSON) in double quotes, numbers and booleans bare.
Python's csv module cannot quote per type (it would write True and quote false alike)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, str):
        return _quoted(value)
    return _quoted(json.dumps(value, separators=(",", ":"), ensure_ascii=False))


def render(row: Mapping[str, Any]) -> str:
    header = ",".join(_quoted(key) for key in row)
    return header + "\n" + ",".join(_cell(value) for value in row.values())
