"""POST /api/admin/features-batch/export against the reference's answers for the same seed."""

from __future__ import annotations

import pytest
from export_cases import EXPORTS
from exportkit import EXPORT, REFERENCE, comparable, seed
from fastapi.testclient import TestClient

from support import ADMIN


@pytest.mark.parametrize("case", sorted(EXPORTS))
def test_export__seeded_instance__as_reference(client: TestClient, case: str) -> None:
    seed(client)
    expected = REFERENCE["export"][case]
    response = client.post(EXPORT, json=EXPORTS[case], headers=ADMIN)
    assert response.status_code == expected["status"]
    assert comparable(response.json()) == comparable(expected["body"])
    assert response.headers.get("content-disposition") == expected["headers"]["content-disposition"]


def test_export__records_features_exported_event(client: TestClient) -> None:
    seed(client)
    exported = client.post(EXPORT, json=EXPORTS["tag"], headers=ADMIN).json()
    events = client.get("/api/admin/events", headers=ADMIN).json()["events"]
    latest = events[0]
    assert latest["type"] == "features-exported"
    assert latest["createdBy"] == "admin"
    assert latest["data"]["data"] == exported
    assert latest["data"]["auditUser"]["username"] == "admin"


def test_export__no_credentials__401(client: TestClient) -> None:
    response = client.post(EXPORT, json=EXPORTS["project"])
    assert response.status_code == 401
