"""Which SEMVER_* values a constraint may hold: Unleash 8.2.0's strict parse, as the reference
answered POST /api/admin/constraints/validate for each (204 or 400)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from support import ADMIN

URL = "/api/admin/constraints/validate"
# Recorded from Unleash 8.2.0 (node-semver, non-loose, canonical form only).
ACCEPTED = [
    "1.2.3+build",
    "1.2.3+build.5",
    "1.2.3-rc.1+b.01",
    "9007199254740991.0.0",
    "1.2.3-9007199254740993",
    "1.2.3-" + "a" * 250,
]
REFUSED = [
    "1.2.3+",
    "1.2.3+a..b",
    "v1.2.3",
    "1.2",
    "9007199254740992.0.0",
    "1.2.3-01",
    "1.2.3-rc.01",
    "01.2.3",
    " 1.2.3",
    "1.2.3-" + "a" * 251,
]


def _validate(client: TestClient, value: str) -> tuple[int, object]:
    constraint = {"contextName": "appVersion", "operator": "SEMVER_EQ", "value": value}
    response = client.post(URL, json=constraint, headers=ADMIN)
    return response.status_code, response.json() if response.content else None


@pytest.mark.parametrize("value", ACCEPTED)
def test_semver_constraint__strict_semver__204(client: TestClient, value: str) -> None:
    assert _validate(client, value) == (204, None)


@pytest.mark.parametrize("value", REFUSED)
def test_semver_constraint__not_canonical_semver__400(client: TestClient, value: str) -> None:
    message = f"the provided value is not a valid semver format. The value provided was: {value}"
    prefix = "Request validation failed: your request body or params contain invalid data: "

    assert _validate(client, value) == (
        400,
        {"name": "BadDataError", "message": prefix + message, "details": [{"message": message}]},
    )
