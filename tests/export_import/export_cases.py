"""The requests whose reference answers are recorded (record_export_reference.py) and checked."""

from __future__ import annotations

from typing import Any

EXPORTS: dict[str, Any] = {
    "project": {"environment": "development", "project": "default"},
    "features": {
        "environment": "development",
        "features": ["exp-gamma", "exp-alpha", "exp-archived"],
    },
    "all": {"environment": "development", "features": []},
    "tag": {"environment": "development", "tag": "ui"},
    "production": {"environment": "production", "project": "default"},
    "download": {"environment": "development", "project": "default", "downloadFile": True},
    "unknown-environment": {"environment": "nowhere", "project": "default"},
    "no-environment": {"project": "default"},
    "empty": {},
}

VALIDATIONS: dict[str, Any] = {}

IMPORTS: dict[str, tuple[str, Any, list[str]]] = {}
