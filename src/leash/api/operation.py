"""An operation declared once: what /docs/openapi.json says of it and what its route checks.

`Operation` holds everything Unleash's OpenAPI document says of an operation (operationId, tag,
path, request body, path and query parameters, answers) plus what leash checks before the
handler runs (the credentials) or when the handler asks (the permissions, in the place Unleash
checks them). `leash.api.route.route(router, operation)` binds a handler to it; the handler
gets a `leash.api.call.Call`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Final

from leash.validation import Schema

TEXT: Final = "text"
HTML: Final = "html"
CSV: Final = "csv"
# What an answer carries: a JSON schema, TEXT, HTML or CSV, or None for no body.
AnswerBody = Schema | str | None
# A decoded body checked against its operation's `body` (and coerced), or BadDataError.
BodyCheck = Callable[[Any], Any]
# What a query parameter's schema may say: leash.validation.check_query_value checks these.
QUERY_KEYWORDS: Final = frozenset({"type", "items", "pattern", "description", "example"})


class Auth(Enum):
    """Which credentials an operation takes, checked before its handler runs."""

    ADMIN = "admin"  # an admin API token, a personal access token or a session cookie
    CLIENT = "client"  # a client (backend SDK) token
    FRONTEND = "frontend"  # a frontend token
    NONE = "none"  # anyone (login, health)


@dataclass(frozen=True)
class Answer:
    status: int
    body: AnswerBody = None
    description: str = "Success."
    links: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str  # the full path, FastAPI's syntax: /api/admin/segments/{id}
    tag: str
    auth: Auth
    answer: Answer
    body: Schema | None = None
    # How the body is checked, when not by leash.validation.validate against `body`: for a
    # body whose errors Unleash's ajv words unlike validation's generic keywords (the
    # playground's projects, the SDK dates); it checks what `body` describes, no more.
    body_check: BodyCheck | None = None
    # What the document shows of the body, when it says more than `body` checks: a rule the
    # service words as Unleash does (createFeature's flag name) documented as a pattern, so
    # generated requests meet it.
    documented_body: Schema | None = None
    # A schema per path parameter; those not named are strings.
    path_params: Mapping[str, Schema] = field(default_factory=dict)
    query: Mapping[str, Schema] = field(default_factory=dict)
    # Any one of these lets the caller in, checked where the handler says (`Call.require`).
    permissions: tuple[str, ...] = ()
    # More answers than the success: a 304, a 302.
    also: tuple[Answer, ...] = ()
    # 4xx answers Unleash sends without its error body: status -> what it sends instead.
    bare: Mapping[int, AnswerBody] = field(default_factory=dict)
    # Statuses answered sometimes with the error body, sometimes with no body at all.
    maybe_empty: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        for name, schema in self.query.items():
            items = schema.get("items", {})
            unchecked = (set(schema) | set(items)) - QUERY_KEYWORDS
            if unchecked or schema.get("type") not in ("string", "array"):
                raise ValueError(f"{self.operation_id}: query parameter {name} says {schema}")

    @property
    def documented_path(self) -> str:
        """The path as OpenAPI templates it: `{token:path}` (a Starlette converter) is
        `{token}`."""
        return "/".join(
            "{" + part[1:-1].split(":")[0] + "}" if part[:1] == "{" else part
            for part in self.path.split("/")
        )

    def path_schema(self, name: str) -> Schema:
        return self.path_params.get(name, {"type": "string"})


# Every declared operation by operationId: /docs/openapi.json and the tests read it.
OPERATIONS: dict[str, Operation] = {}


def register(operation: Operation) -> None:
    if operation.operation_id in OPERATIONS:
        raise ValueError(f"operation {operation.operation_id} declared twice")
    OPERATIONS[operation.operation_id] = operation
