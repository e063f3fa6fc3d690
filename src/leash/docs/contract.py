"""What /docs/openapi.json promises beyond what FastAPI can infer from the routes.

Most routes read their JSON body raw (leash.http) and answer through leash's own error handler,
so FastAPI alone documents neither their request bodies nor their real answers (it would claim
a 422 that leash never sends). This module adds, per Unleash operationId, the request body, the
answers with their schemas, and links between operations; every operation gets Unleash's error
body for its 4xx answers, except the few answers Unleash itself sends bare or as {"message"}.
The API fuzz test (tests/reliability/test_api_fuzz.py) holds leash to this document.
"""

from __future__ import annotations

from typing import Any, Final

from leash.api import openapi

Schema = dict[str, Any]

# Shared with the declared operations' document (leash.api.openapi).
ERROR: Final[Schema] = openapi.ERROR
MESSAGE_ONLY: Final[Schema] = openapi.MESSAGE_ONLY

_STRING: Final[Schema] = {"type": "string"}
_OBJECT: Final[Schema] = {"type": "object"}


def _obj(required: list[str], **properties: Schema) -> Schema:
    return {"type": "object", "required": required, "properties": properties}


def _array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


NO_BODY: Final = None
TEXT: Final = "text"
HTML: Final = "html"


def _json(schema: Schema) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _answer(status: str, body: Schema | str | None, description: str) -> dict[str, Any]:
    answer: dict[str, Any] = {"description": description}
    if body == TEXT:
        answer["content"] = {"text/plain": {"schema": {"type": "string"}}}
    elif body == HTML:
        answer["content"] = {"text/html": {"schema": {"type": "string"}}}
    elif isinstance(body, dict):
        answer.update(_json(body))
    return answer


def _link(operation_id: str, **parameters: str) -> dict[str, Any]:
    return {"operationId": operation_id, "parameters": parameters}


# operationId -> (request body schema or None, success status, success body, links)
OPERATIONS: Final[dict[str, tuple[Schema | None, str, Schema | str | None, dict[str, Any]]]] = {}

# Answers Unleash gives without its error body, listed one by one: (operationId or "*", status)
# -> what the body is. Everything else in 4xx carries ERROR.
BARE_ANSWERS: Final[dict[tuple[str, str], Schema | str | None]] = {
    # A token of the wrong kind (an admin token on /api/client, ...): {"message"} only.
    ("*", "403"): {"anyOf": [ERROR, MESSAGE_ONLY]},
}

# Answers that are sometimes Unleash's error body and sometimes no body at all (OpenAPI cannot
# say "JSON or nothing"): none left here, the declared operations say so (`maybe_empty`).
EMPTY_BODY_ANSWERS: Final[frozenset[tuple[str, int]]] = frozenset()


INTEGER_PATH_PARAMETERS: Final[dict[str, frozenset[str]]] = {}


def apply(document: dict[str, Any]) -> dict[str, Any]:
    """Complete the FastAPI-generated ``document`` in place and return it."""
    for item in document.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict) and "operationId" in operation:
                _complete(operation)
    return document


def _complete(operation: dict[str, Any]) -> None:
    operation_id = operation["operationId"]
    responses: dict[str, Any] = operation.setdefault("responses", {})
    # leash answers every validation problem with a 400 in Unleash's shape, never a 422.
    responses.pop("422", None)
    known = OPERATIONS.get(operation_id)
    if known is not None:
        request, status, body, links = known
        if request is not None:
            operation["requestBody"] = {"required": True, **_json(request)}
        for default in [s for s in responses if s.startswith("2")]:
            del responses[default]
        success = _answer(status, body, "Success.")
        if links:
            success["links"] = links
        responses[status] = success
    integers = INTEGER_PATH_PARAMETERS.get(operation_id, frozenset())
    for parameter in operation.get("parameters", []):
        # leash answers a path id that is no integer with 400, as Unleash's ajv does.
        if parameter.get("in") == "path" and parameter.get("name") in integers:
            parameter["schema"] = {"type": "integer", "title": parameter["schema"].get("title")}
    for (bare_operation, bare_status), schema in BARE_ANSWERS.items():
        if bare_operation in ("*", operation_id):
            responses[bare_status] = _answer(bare_status, schema, "Answered as Unleash does.")
    responses.setdefault("4XX", _answer("4XX", ERROR, "Unleash's error body."))
