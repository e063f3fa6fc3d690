"""Evaluate every flag of a compiled state for one context; keep the enabled ones."""

from __future__ import annotations

from typing import Any

from leash.client_api.snapshot import Compiled


def enabled_toggles(compiled: Compiled, context: dict[str, Any]) -> list[dict[str, Any]]:
    toggles = []
    for name, feature in compiled.features.items():
        if not compiled.engine.is_enabled(name, context):
            continue
        variant = dict(compiled.engine.get_variant(name, context))
        # Unleash sends both spellings; older frontend SDKs read the snake_case one.
        variant["featureEnabled"] = variant.get("feature_enabled", True)
        toggles.append(
            {
                "name": name,
                "enabled": True,
                "variant": variant,
                "impressionData": bool(feature.get("impressionData")),
            }
        )
    return toggles
