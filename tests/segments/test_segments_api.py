from __future__ import annotations

from fastapi.testclient import TestClient
from support import ADMIN


def test_create_segment__valid__201_with_location(client: TestClient) -> None:
    body = {
        "name": "beta",
        "description": "d",
        "constraints": [{"contextName": "userId", "operator": "IN", "values": ["a", "b"]}],
    }
    response = client.post("/api/admin/segments", headers=ADMIN, json=body)
    assert response.status_code == 201
    assert response.headers["location"] == "segments/1"
    created = response.json()
    assert created.pop("createdAt").endswith("Z")
    assert created == {
        "id": 1,
        "name": "beta",
        "description": "d",
        "constraints": [{"contextName": "userId", "operator": "IN", "values": ["a", "b"]}],
        "createdBy": "admin",
    }
