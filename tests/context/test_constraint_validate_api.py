"""POST /api/admin/constraints/validate: Unleash 7.5.1's answers (8.x's where they differ)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from support import ADMIN, CLIENT

URL = "/api/admin/constraints/validate"
PREFIX = "Request validation failed: your request body or params contain invalid data"
LIST = f"{PREFIX}. Refer to the `details` list for more information."


@pytest.mark.parametrize(
    "constraint",
    [
        {"contextName": "userId", "operator": "IN", "values": ["a"]},
        {"contextName": "version", "operator": "SEMVER_GT", "value": "1.2.3-beta.1"},
        {"contextName": "n", "operator": "NUM_LTE", "value": "12.5", "inverted": True},
        {"contextName": "currentTime", "operator": "DATE_AFTER", "value": "2026-01-01T00:00:00Z"},
    ],
)
def test_validate_constraint__valid__204(client: TestClient, constraint: dict[str, Any]) -> None:
    response = client.post(URL, json=constraint, headers=ADMIN)

    assert response.status_code == 204
    assert response.content == b""


@pytest.mark.parametrize(
    ("constraint", "message"),
    [
        (
            {"contextName": "x", "operator": "NUM_EQ", "value": "abc"},
            '"value" must be a number. You provided "abc".',
        ),
        (
            {"contextName": "x", "operator": "IN", "values": []},
            '"value" must contain at least 1 items. You provided [].',
        ),
        (
            {"contextName": "", "operator": "IN", "values": ["a"]},
            '"contextName" is not allowed to be empty.',
        ),
        (
            {"contextName": "x", "operator": "IN", "values": [""]},
            '"values[0]" is not allowed to be empty.',
        ),
    ],
)
def test_validate_constraint__joi_rule_broken__400_list(
    client: TestClient, constraint: dict[str, Any], message: str
) -> None:
    response = client.post(URL, json=constraint, headers=ADMIN)

    assert response.status_code == 400
    assert response.json() == {
        "name": "BadDataError",
        "message": LIST,
        "details": [{"message": message}],
    }


@pytest.mark.parametrize(
    ("constraint", "message"),
    [
        (
            {"contextName": "x", "operator": "SEMVER_EQ", "value": "v1"},
            "the provided value is not a valid semver format. The value provided was: v1",
        ),
        (
            {"contextName": "x", "operator": "REGEX", "value": "a("},
            "the provided value is not a valid regex string. "
            "Error: error parsing regexp: missing closing ): `a(`",
        ),
        (
            {"contextName": "x", "operator": "DATE_AFTER"},
            "Single-value constraint operators require a non-empty value.",
        ),
    ],
)
def test_validate_constraint__operator_rule_broken__400_single(
    client: TestClient, constraint: dict[str, Any], message: str
) -> None:
    response = client.post(URL, json=constraint, headers=ADMIN)

    assert response.status_code == 400
    assert response.json() == {
        "name": "BadDataError",
        "message": f"{PREFIX}: {message}",
        "details": [{"message": message}],
    }


def test_validate_constraint__missing_context_name__openapi_400(client: TestClient) -> None:
    response = client.post(URL, json={"operator": "IN"}, headers=ADMIN)

    assert response.status_code == 400
    body = response.json()
    assert body["details"] == [
        {
            "path": "/body/contextName",
            "message": "The `/body/contextName` property is required. "
            "It was not present on the data you sent.",
        }
    ]


def test_validate_constraint__client_token__403(client: TestClient) -> None:
    response = client.post(URL, json={"contextName": "x", "operator": "IN"}, headers=CLIENT)

    assert response.status_code == 403
    assert response.json() == {
        "message": "invalid token: expected a different token type for this endpoint"
    }
