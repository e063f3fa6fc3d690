"""Evaluate every flag of a compiled state for one context; answer the enabled ones."""

from __future__ import annotations

from typing import Any

from leash.client_api.compiled import Compiled, toggle_bytes


def toggles_body(compiled: Compiled, context: dict[str, Any]) -> bytes:
    """The `{"toggles": [...]}` body as bytes, from the compiled plan.

    Flags whose variant cannot depend on the context contribute ready bytes; only the others
    are asked for a variant and serialized per request.
    """
    engine = compiled.engine
    parts: list[bytes] = []
    for name, fast, static, impression in compiled.plan:
        if fast is not None:
            if not fast(context):
                continue
        elif not engine.is_enabled(name, context):
            continue
        if static is not None:
            parts.append(static)
        else:
            parts.append(toggle_bytes(name, engine.get_variant(name, context), impression))
    return b'{"toggles":[' + b",".join(parts) + b"]}"
