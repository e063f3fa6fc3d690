from __future__ import annotations

from fastapi.testclient import TestClient

from leash.api.operation import OPERATIONS

SEGMENT_OPERATIONS = {
    ("post", "/api/admin/segments/validate"): "validateSegment",
    ("get", "/api/admin/segments/strategies/{strategyId}"): "getSegmentsByStrategyId",
    ("post", "/api/admin/segments/strategies"): "updateFeatureStrategySegments",
    ("get", "/api/admin/segments/{id}/strategies"): "getStrategiesBySegmentId",
    ("delete", "/api/admin/segments/{id}"): "removeSegment",
    ("put", "/api/admin/segments/{id}"): "updateSegment",
    ("get", "/api/admin/segments/{id}"): "getSegment",
    ("post", "/api/admin/segments"): "createSegment",
    ("get", "/api/admin/segments"): "getSegments",
}


def test_openapi__segment_operations__unleash_operation_ids(client: TestClient) -> None:
    document = client.get("/docs/openapi.json").json()
    found = {
        (method, path): operation["operationId"]
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }
    for key, operation_id in SEGMENT_OPERATIONS.items():
        assert found.get(key) == operation_id


def test_openapi__create_segment__documents_request_schema(client: TestClient) -> None:
    document = client.get("/docs/openapi.json").json()
    body = document["paths"]["/api/admin/segments"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    assert schema["required"] == ["name", "constraints"]


def test_swagger_ui__served_without_cdn(client: TestClient) -> None:
    page = client.get("/docs/openapi/")
    assert page.status_code == 200
    assert "/docs/openapi/static/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower()
    script = client.get("/docs/openapi/static/swagger-ui-bundle.js")
    assert script.status_code == 200
    assert len(script.content) > 100_000


def test_health__database_up__good(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"health": "GOOD"}


def test_unknown_api_path__404_names_the_path(client: TestClient) -> None:
    response = client.get("/api/admin/nothing-here", headers={"Authorization": "*:*.admin-secret"})
    assert response.status_code == 404
    body = response.json()
    assert isinstance(body.pop("id"), str)
    message = "The path you were looking for (/api/admin/nothing-here) is not available."
    assert body == {"name": "NotFoundError", "message": message, "details": [{"message": message}]}


def test_openapi__paths__exactly_the_declared_operations(client: TestClient) -> None:
    document = client.get("/docs/openapi.json").json()
    found = {
        (method.upper(), path): operation["operationId"]
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }
    declared = {(op.method, op.documented_path): op.operation_id for op in OPERATIONS.values()}
    assert found == declared
