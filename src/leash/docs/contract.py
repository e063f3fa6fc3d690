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
from leash.features import schemas as features
from leash.tokens import schemas as tokens
from leash.users import schemas as users

Schema = dict[str, Any]

# Shared with the declared operations' document (leash.api.openapi).
ERROR: Final[Schema] = openapi.ERROR
MESSAGE_ONLY: Final[Schema] = openapi.MESSAGE_ONLY

_STRING: Final[Schema] = {"type": "string"}
_NULLABLE_STRING: Final[Schema] = {"type": "string", "nullable": True}
_OBJECT: Final[Schema] = {"type": "object"}


def _obj(required: list[str], **properties: Schema) -> Schema:
    return {"type": "object", "required": required, "properties": properties}


def _array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


CONSTRAINT: Final[Schema] = _obj(["contextName", "operator"], contextName=_STRING, operator=_STRING)
SEGMENT: Final[Schema] = _obj(
    ["id", "name", "constraints"],
    id={"type": "integer"},
    name=_STRING,
    description=_NULLABLE_STRING,
    project=_NULLABLE_STRING,
    constraints=_array(CONSTRAINT),
    createdBy=_NULLABLE_STRING,
    createdAt=_NULLABLE_STRING,
)
FLAG: Final[Schema] = _obj(
    ["name", "type", "project"],
    name=_STRING,
    type=_STRING,
    project=_STRING,
    description=_NULLABLE_STRING,
    stale={"type": "boolean"},
    impressionData={"type": "boolean"},
)
STRATEGY: Final[Schema] = _obj(
    ["id", "name", "constraints", "parameters"],
    id=_STRING,
    name=_STRING,
    constraints=_array(CONSTRAINT),
    parameters=_OBJECT,
    variants=_array(_OBJECT),
    segments=_array({"type": "integer"}),
)
API_TOKEN: Final[Schema] = _obj(
    ["secret", "tokenName", "type"], secret=_STRING, tokenName=_STRING, type=_STRING
)

USER: Final[Schema] = _obj(
    ["id"],
    id={"type": "integer"},
    name=_STRING,
    username=_STRING,
    email=_STRING,
    rootRole={"type": "integer"},
)
PAT: Final[Schema] = _obj(
    ["id", "description", "expiresAt", "userId"],
    id={"type": "integer"},
    description=_STRING,
    expiresAt=_STRING,
    userId={"type": "integer"},
)

# What Unleash accepts as a flag name: what encodeURIComponent leaves alone, 1 to 100 long.
FLAG_NAME: Final[Schema] = {"type": "string", "pattern": "^[A-Za-z0-9_.!~*'()-]{1,100}$"}
CREATE_FEATURE: Final[Schema] = {
    **features.CREATE_FEATURE,
    "properties": {**features.CREATE_FEATURE["properties"], "name": FLAG_NAME},
}


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


_SEGMENT_ID = "$response.body#/id"
_FLAG = {"projectId": "$request.path.projectId", "featureName": "$response.body#/name"}
_STRATEGY = {
    "projectId": "$request.path.projectId",
    "featureName": "$request.path.featureName",
    "environment": "$request.path.environment",
    "strategyId": "$response.body#/id",
}

# operationId -> (request body schema or None, success status, success body, links)
OPERATIONS: Final[dict[str, tuple[Schema | None, str, Schema | str | None, dict[str, Any]]]] = {
    "getAllApiTokens": (None, "200", _obj(["tokens"], tokens=_array(API_TOKEN)), {}),
    "createApiToken": (
        tokens.CREATE_API_TOKEN,
        "201",
        API_TOKEN,
        {
            "UpdateApiToken": _link("updateApiToken", token="$response.body#/secret"),
            "DeleteApiToken": _link("deleteApiToken", token="$response.body#/secret"),
        },
    ),
    "updateApiToken": (tokens.UPDATE_API_TOKEN, "200", NO_BODY, {}),
    "deleteApiToken": (None, "200", NO_BODY, {}),
    "getProjects": (None, "200", _obj(["projects"], projects=_array(_OBJECT)), {}),
    "getAllEnvironments": (
        None,
        "200",
        _obj(["environments"], environments=_array(_OBJECT)),
        {},
    ),
    "getFeatures": (
        None,
        "200",
        _obj(["features"], features=_array({**FLAG, "required": ["name", "type"]})),
        {},
    ),
    "createFeature": (
        CREATE_FEATURE,
        "201",
        FLAG,
        {
            "GetFeature": _link("getFeature", **_FLAG),
            "UpdateFeature": _link("updateFeature", **_FLAG),
            "PatchFeature": _link("patchFeature", **_FLAG),
            "AddFeatureStrategy": _link("addFeatureStrategy", **_FLAG),
            "ToggleFeatureEnvironmentOn": _link("toggleFeatureEnvironmentOn", **_FLAG),
            "ArchiveFeature": _link("archiveFeature", **_FLAG),
        },
    ),
    "getFeature": (
        None,
        "200",
        {**FLAG, "required": ["name", "type", "project", "environments"]},
        {},
    ),
    "updateFeature": (features.UPDATE_FEATURE, "200", FLAG, {}),
    "patchFeature": (features.PATCHES, "200", FLAG, {}),
    "archiveFeature": (None, "202", NO_BODY, {}),
    "toggleFeatureEnvironmentOn": (None, "200", NO_BODY, {}),
    "toggleFeatureEnvironmentOff": (None, "200", NO_BODY, {}),
    "getFeatureStrategies": (None, "200", _array(STRATEGY), {}),
    "addFeatureStrategy": (
        features.CREATE_FEATURE_STRATEGY,
        "200",
        STRATEGY,
        {
            "GetFeatureStrategy": _link("getFeatureStrategy", **_STRATEGY),
            "UpdateFeatureStrategy": _link("updateFeatureStrategy", **_STRATEGY),
            "GetSegmentsByStrategyId": _link(
                "getSegmentsByStrategyId", strategyId="$response.body#/id"
            ),
            "DeleteFeatureStrategy": _link("deleteFeatureStrategy", **_STRATEGY),
        },
    ),
    "getFeatureStrategy": (None, "200", STRATEGY, {}),
    "updateFeatureStrategy": (features.UPDATE_FEATURE_STRATEGY, "200", STRATEGY, {}),
    # Unleash answers res.json(undefined): a JSON content type and no body.
    "deleteFeatureStrategy": (None, "200", NO_BODY, {}),
    "validateFeature": (features.VALIDATE_FEATURE_NAME, "200", NO_BODY, {}),
    "login": (users.LOGIN, "200", USER, {}),
    # Express's res.redirect: a plain-text "Found. Redirecting to /", whatever the session.
    "logout": (None, "302", TEXT, {}),
    "getMe": (
        None,
        "200",
        _obj(["user", "permissions"], user=_OBJECT, permissions=_array(_OBJECT)),
        {},
    ),
    "getPats": (None, "200", _obj(["pats"], pats=_array(PAT)), {}),
    "createPat": (users.CREATE_PAT, "201", {**PAT, "required": [*PAT["required"], "secret"]}, {}),
    "deletePat": (None, "200", NO_BODY, {}),
    "getUsers": (
        None,
        "200",
        _obj(["users", "rootRoles"], users=_array(USER), rootRoles=_array(_OBJECT)),
        {},
    ),
    "createUser": (users.CREATE_USER, "201", USER, {}),
    "getUser": (None, "200", USER, {}),
    "updateUser": (users.UPDATE_USER, "200", USER, {}),
    "deleteUser": (None, "200", NO_BODY, {}),
    "changeUserPassword": (users.PASSWORD, "200", NO_BODY, {}),
    "getProjectAccess": (
        None,
        "200",
        _obj(["roles", "users", "groups"], roles=_array(_OBJECT), users=_array(_OBJECT)),
        {},
    ),
    "addAccessToProject": (users.ACCESS, "200", NO_BODY, {}),
    "removeUserFromRole": (None, "200", NO_BODY, {}),
}

# Answers Unleash gives without its error body, listed one by one: (operationId or "*", status)
# -> what the body is. Everything else in 4xx carries ERROR.
BARE_ANSWERS: Final[dict[tuple[str, str], Schema | str | None]] = {
    # A token of the wrong kind (an admin token on /api/client, ...): {"message"} only.
    ("*", "403"): {"anyOf": [ERROR, MESSAGE_ONLY]},
    ("login", "429"): HTML,
}

# Answers that are sometimes Unleash's error body and sometimes no body at all (OpenAPI cannot
# say "JSON or nothing"): none left here, the declared operations say so (`maybe_empty`).
EMPTY_BODY_ANSWERS: Final[frozenset[tuple[str, int]]] = frozenset()


# operationId -> its path parameters that Unleash declares integers (ajv coerces "7").
INTEGER_PATH_PARAMETERS: Final[dict[str, frozenset[str]]] = {
    **{
        operation_id: frozenset({"id"})
        for operation_id in (
            "deletePat",
            "getUser",
            "updateUser",
            "deleteUser",
            "changeUserPassword",
        )
    },
    "addAccessToProject": frozenset({"roleId"}),
    "removeUserFromRole": frozenset({"userId", "roleId"}),
}


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
