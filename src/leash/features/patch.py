"""PATCH of a flag's metadata: Unleash's JSON patch (fast-json-patch) of the flag document."""

from __future__ import annotations

import copy
import json
from typing import Any

from sqlalchemy import Connection

from leash.errors import LeashError, OperationDeniedError
from leash.features.events import record
from leash.features.flags import stored, update_metadata
from leash.features.schemas import PatchOperation
from leash.features.views import flag_json
from leash.identity import Actor


def _pointer(path: str) -> str:
    """The top-level key a JSON pointer names (flag documents are flat)."""
    key = path[1:] if path.startswith("/") else path
    return key.split("/", 1)[0].replace("~1", "/").replace("~0", "~")


def _apply_patch(document: dict[str, Any], operations: list[PatchOperation]) -> dict[str, Any]:
    result = copy.deepcopy(document)
    for index, operation in enumerate(operations):
        op, key = operation["op"], _pointer(operation["path"])
        if op in ("add", "replace"):
            result[key] = operation.get("value")
        elif op == "remove":
            result.pop(key, None)
        elif op in ("copy", "move"):
            source = _pointer(str(operation.get("from", "")))
            value = result.get(source)
            if op == "move":
                result.pop(source, None)
            result[key] = copy.deepcopy(value)
        elif op == "test" and result.get(key) != operation.get("value"):
            # fast-json-patch's error escapes Unleash's handlers as an UnknownError.
            shown = {k: v for k, v in operation.items()}
            message = (
                "Test operation failed\nname: TEST_OPERATION_FAILED\n"
                f"index: {index}\noperation: {_pretty(shown)}\ntree: {_pretty(document)}"
            )
            raise LeashError(message)
    return result


def _pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def patch_flag(
    conn: Connection, *, project: str, name: str, operations: list[PatchOperation], actor: Actor
) -> dict[str, Any]:
    original = flag_json(stored(conn, name=name))
    if any("/variants" in operation["path"] for operation in operations):
        raise OperationDeniedError(
            "Changing variants is done via PATCH operation to "
            "/api/admin/projects/:project/features/:feature/variants"
        )
    document = _apply_patch(original, operations)
    previous, current = update_metadata(
        conn, project=project, name=name, document=document, actor=actor
    )
    if previous["stale"] != current["stale"]:
        record(
            conn,
            actor=actor,
            type="feature-stale-on" if current["stale"] else "feature-stale-off",
            feature_name=name,
            project=project,
        )
    return current
