"""What an operation may declare: only what its route checks."""

from __future__ import annotations

from typing import Any

import pytest

from leash.api.operation import Answer, Auth, Operation


def _operation(**query: dict[str, Any]) -> Operation:
    return Operation(
        operation_id="listThings",
        method="GET",
        path="/api/admin/things",
        tag="Things",
        auth=Auth.ADMIN,
        answer=Answer(200),
        query=query,
    )


def test_operation__query_pattern_and_string_arrays__declared() -> None:
    operation = _operation(
        type={"type": "string", "pattern": "^IS:"}, tag={"type": "array", "items": {}}
    )
    assert list(operation.query) == ["type", "tag"]


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "string", "maxLength": 3},
        {"type": "integer"},
        {"type": "string", "enum": ["a"]},
        {"type": "array", "items": {"type": "string", "minLength": 1}},
    ],
)
def test_operation__query_keyword_no_route_checks__refused(schema: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="query parameter limit"):
        _operation(limit=schema)
