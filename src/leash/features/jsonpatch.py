"""RFC 6902 JSON patch of a nested document, as fast-json-patch (Unleash's) applies it.

Plain parsing of the pointers (no regular expressions); the document is copied, never changed
in place. A failure raises PatchFailed with fast-json-patch's words where Unleash shows them.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from typing import Any

from leash.features.schemas import PatchOperation


class PatchFailed(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _tokens(pointer: str) -> list[str]:
    if pointer == "":
        return []
    parts = pointer.split("/")
    # fast-json-patch reads a pointer without its leading "/" from the first token on.
    return [part.replace("~1", "/").replace("~0", "~") for part in parts[1:]]


def _index(container: list[Any], token: str, *, insert: bool) -> int:
    if token == "-":
        return len(container)
    if not (0 < len(token) <= 9 and token.isascii() and token.isdigit()):
        raise PatchFailed(f"Cannot read properties of undefined (reading '{token}')")
    index = int(token)
    return min(index, len(container)) if insert else index


def _child(value: Any, token: str) -> Any:
    if isinstance(value, dict):
        return value.get(token)
    if isinstance(value, list):
        index = _index(value, token, insert=False)
        return value[index] if index < len(value) else None
    return None


def _parent(document: Any, tokens: list[str]) -> Any:
    current = document
    for i, token in enumerate(tokens[:-1]):
        found = _child(current, token)
        if not isinstance(found, dict | list):
            raise PatchFailed(f"Cannot read properties of undefined (reading '{tokens[i + 1]}')")
        current = found
    return current


def _get(document: Any, pointer: str) -> Any:
    current = document
    for token in _tokens(pointer):
        if not isinstance(current, dict | list):
            raise PatchFailed(f"Cannot read properties of undefined (reading '{token}')")
        current = _child(current, token)
    return copy.deepcopy(current)


def _set(document: Any, pointer: str, value: Any, *, insert: bool) -> Any:
    tokens = _tokens(pointer)
    if not tokens:
        return value
    parent = _parent(document, tokens)
    last = tokens[-1]
    if isinstance(parent, list):
        index = _index(parent, last, insert=True)
        if insert or index >= len(parent):
            parent.insert(index, value)
        else:
            parent[index] = value
    else:
        parent[last] = value
    return document


def _remove(document: Any, pointer: str) -> Any:
    tokens = _tokens(pointer)
    if not tokens:
        return None
    parent = _parent(document, tokens)
    last = tokens[-1]
    if isinstance(parent, list):
        index = _index(parent, last, insert=False)
        if index < len(parent):
            del parent[index]
    else:
        parent.pop(last, None)
    return document


def _pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def apply(document: Any, operations: Sequence[PatchOperation]) -> Any:
    """The patched copy of `document`."""
    original = document
    result = copy.deepcopy(document)
    for index, operation in enumerate(operations):
        op, path = operation["op"], operation["path"]
        if op == "add":
            result = _set(result, path, copy.deepcopy(operation.get("value")), insert=True)
        elif op == "replace":
            result = _set(result, path, copy.deepcopy(operation.get("value")), insert=False)
        elif op == "remove":
            result = _remove(result, path)
        elif op in ("copy", "move"):
            source = str(operation.get("from", ""))
            value = _get(result, source)
            if op == "move":
                result = _remove(result, source)
            result = _set(result, path, value, insert=True)
        elif op == "test" and _get(result, path) != operation.get("value"):
            raise PatchFailed(
                "Test operation failed\nname: TEST_OPERATION_FAILED\n"
                f"index: {index}\noperation: {_pretty(dict(operation))}\n"
                f"tree: {_pretty(original)}"
            )
    return result
