"""/docs/openapi.json from the declared operations (leash.api.operation.OPERATIONS).

Every 4xx an operation can give carries Unleash's error body, except the ones it declares
`bare` (Unleash's own answers without it); leash never answers FastAPI's 422.
"""

from __future__ import annotations

from typing import Any, Final

from leash.api.operation import CSV, HTML, TEXT, AnswerBody, Operation
from leash.maintenance.service import guarded
from leash.validation import Schema

ERROR: Final[Schema] = {
    "type": "object",
    "description": "Unleash's error body.",
    "required": ["name", "message"],
    "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "message": {"type": "string"},
        "details": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["message"],
                "properties": {"message": {"type": "string"}},
            },
        },
    },
}

# Unleash's API-token middleware answers a token of the wrong kind with only {"message"}.
MESSAGE_ONLY: Final[Schema] = {
    "type": "object",
    "required": ["message"],
    "additionalProperties": False,
    "properties": {"message": {"type": "string"}},
}

# Bare answers of the SDK operations (`Operation.bare`): no or an unknown token on the client
# and frontend APIs is answered {"message"} only; a request over an SDK rate limit gets
# express-rate-limit's text/html "Too many requests, ..." (leash.limits).
NO_SDK_TOKEN: Final[dict[int, AnswerBody]] = {401: MESSAGE_ONLY}
RATE_LIMITED: Final[dict[int, AnswerBody]] = {429: HTML}

# Every operation: a token of the wrong kind (an admin token on /api/client, ...) is answered
# {"message"} only; other 403s carry the error body.
WRONG_TOKEN_KIND: Final[Schema] = {"anyOf": [ERROR, MESSAGE_ONLY]}


def content(body: AnswerBody) -> dict[str, Any]:
    if body == TEXT:
        return {"content": {"text/plain": {"schema": {"type": "string"}}}}
    if body == HTML:
        return {"content": {"text/html": {"schema": {"type": "string"}}}}
    if body == CSV:
        return {"content": {"text/csv": {"schema": {"type": "string"}}}}
    if isinstance(body, dict):
        return {"content": {"application/json": {"schema": body}}}
    return {}


def _answer(body: AnswerBody, description: str) -> dict[str, Any]:
    return {"description": description, **content(body)}


def _parameters(operation: Operation) -> list[dict[str, Any]]:
    names = [part[1:-1].split(":")[0] for part in operation.path.split("/") if part[:1] == "{"]
    found: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": operation.path_schema(name)}
        for name in names
    ]
    found += [
        {"name": name, "in": "query", "required": False, "schema": schema}
        for name, schema in operation.query.items()
    ]
    return found


def describe(operation: Operation) -> dict[str, Any]:
    """The operation as the OpenAPI document lists it."""
    responses: dict[str, Any] = {}
    for answer in (operation.answer, *operation.also):
        described = _answer(answer.body, answer.description)
        if answer.links:
            described["links"] = dict(answer.links)
        responses[str(answer.status)] = described
    responses["403"] = _answer(WRONG_TOKEN_KIND, "Answered as Unleash does.")
    for status, body in operation.bare.items():
        responses[str(status)] = _answer(body, "Answered as Unleash does.")
    responses["4XX"] = _answer(ERROR, "Unleash's error body.")
    if guarded(method=operation.method, path=operation.documented_path):
        responses["503"] = _answer(MESSAGE_ONLY, "Maintenance mode is on.")
    described_operation: dict[str, Any] = {
        "tags": [operation.tag],
        "operationId": operation.operation_id,
        "parameters": _parameters(operation),
        "responses": responses,
    }
    body = operation.documented_body or operation.body
    if body is not None:
        described_operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": body}},
        }
    return described_operation


def add_operations(document: dict[str, Any], operations: dict[str, Operation]) -> None:
    paths: dict[str, Any] = document.setdefault("paths", {})
    for operation in operations.values():
        documented = paths.setdefault(operation.documented_path, {})
        documented[operation.method.lower()] = describe(operation)


# -- building answer schemas ------------------------------------------------------------------

STRING: Final[Schema] = {"type": "string"}
NULLABLE_STRING: Final[Schema] = {"type": "string", "nullable": True}
INTEGER: Final[Schema] = {"type": "integer"}
BOOLEAN: Final[Schema] = {"type": "boolean"}
OBJECT: Final[Schema] = {"type": "object"}


def obj(required: list[str], **properties: Schema) -> Schema:
    return {"type": "object", "required": required, "properties": properties}


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def link(operation_id: str, **parameters: str) -> dict[str, Any]:
    """An OpenAPI link: the stateful fuzz test follows them (create, then read, ...)."""
    return {"operationId": operation_id, "parameters": parameters}
