"""The OpenAPI document describes leash's real answers (what the API fuzz test holds it to)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from leash.api.openapi import MESSAGE_ONLY
from leash.api.operation import OPERATIONS


def _operations(client: TestClient) -> dict[str, dict[str, Any]]:
    document = client.get("/docs/openapi.json").json()
    return {
        operation["operationId"]: operation
        for item in document["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    }


def _declared_body(operation_id: str) -> Any:
    """The body an operation is declared with (leash.api)."""
    return OPERATIONS[operation_id].body


def test_openapi__no_operation_documents_fastapi_422(client: TestClient) -> None:
    documented = [oid for oid, op in _operations(client).items() if "422" in op["responses"]]
    assert documented == []


def test_openapi__every_operation__4xx_is_unleash_error_body(client: TestClient) -> None:
    for operation in _operations(client).values():
        schema = operation["responses"]["4XX"]["content"]["application/json"]["schema"]
        assert schema["required"] == ["name", "message"]


def test_openapi__client_and_frontend_bodies_documented(client: TestClient) -> None:
    operations = _operations(client)
    for operation_id in (
        "registerClientApplication",
        "registerClientMetrics",
        "registerFrontendMetrics",
        "registerFrontendClient",
        "getFrontendApiFeaturesWithPost",
        "createApiToken",
        "updateApiToken",
    ):
        body = operations[operation_id]["requestBody"]["content"]["application/json"]["schema"]
        assert body == _declared_body(operation_id)


def test_openapi__create_segment__links_to_segment_by_id(client: TestClient) -> None:
    links = _operations(client)["createSegment"]["responses"]["201"]["links"]
    assert links["GetSegment"] == {
        "operationId": "getSegment",
        "parameters": {"id": "$response.body#/id"},
    }


def test_openapi__wrong_token_kind__403_may_be_message_only(client: TestClient) -> None:
    answer = _operations(client)["getAllClientFeatures"]["responses"]["403"]
    schema = answer["content"]["application/json"]["schema"]
    assert MESSAGE_ONLY in schema["anyOf"]


def test_openapi__user_login_pat_access_playground_bodies__the_schemas_routes_check(
    client: TestClient,
) -> None:
    from leash.constraint_rules import CONSTRAINT_SCHEMA
    from leash.playground import schemas as playground
    from leash.tokens import schemas as tokens
    from leash.users import schemas as users

    operations = _operations(client)
    expected = {
        "login": users.LOGIN,
        "createUser": users.CREATE_USER,
        "updateUser": users.UPDATE_USER,
        "changeUserPassword": users.PASSWORD,
        "createPat": users.CREATE_PAT,
        "addAccessToProject": users.ACCESS,
        "getPlayground": playground.PLAYGROUND_REQUEST,
        "validateConstraint": CONSTRAINT_SCHEMA,
        "createApiToken": tokens.CREATE_API_TOKEN,
        "updateApiToken": tokens.UPDATE_API_TOKEN,
    }
    for operation_id, schema in expected.items():
        body = operations[operation_id]["requestBody"]["content"]["application/json"]["schema"]
        assert body == schema, operation_id


def test_openapi__every_write__documents_its_body(client: TestClient) -> None:
    # logout reads no body; the toggles and a strategy's deprecate/reactivate take none.
    bodiless = {
        "logout",
        "toggleFeatureEnvironmentOn",
        "toggleFeatureEnvironmentOff",
        "deprecateStrategy",
        "reactivateStrategy",
    }
    bodiless |= {"toggleEnvironmentOn", "toggleEnvironmentOff"}
    # Unleash 8.2 documents no body for these either.
    bodiless |= {"reviveFeature", "addFavoriteFeature", "addFavoriteProject", "uncomplete"}
    missing = [
        operation["operationId"]
        for item in client.get("/docs/openapi.json").json()["paths"].values()
        for method, operation in item.items()
        if method in ("post", "put", "patch")
        and "requestBody" not in operation
        and operation["operationId"] not in bodiless
    ]
    assert missing == []


def test_openapi__user_ids_are_integers(client: TestClient) -> None:
    operations = _operations(client)
    for operation_id, name in (
        ("getUser", "id"),
        ("deletePat", "id"),
        ("removeUserFromRole", "userId"),
        ("addAccessToProject", "roleId"),
    ):
        [parameter] = [p for p in operations[operation_id]["parameters"] if p["name"] == name]
        assert parameter["schema"]["type"] == "integer", operation_id
