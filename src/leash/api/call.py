"""What a handler gets: the caller, and the request's values checked against its declaration.

Checks run when the handler asks for a value, in the order it asks, because Unleash's order is
part of its answers (a permission is checked on a stored segment before its body is read; a
body's project is read before the permission that depends on it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Generic, TypeVar, cast

from fastapi import Request, Response
from sqlalchemy import Connection, Engine

from leash import http, permissions
from leash.api.operation import Auth, Operation
from leash.api.write import IN_HANDLER, unit_of_work
from leash.auth import Actor, Principal, require_admin, require_client, require_frontend
from leash.config import Settings
from leash.http import RawBody
from leash.validation import parse_int_param

B = TypeVar("B")

_AUTHENTICATE: dict[Auth, Callable[[Request], Principal]] = {
    Auth.ADMIN: require_admin,
    Auth.CLIENT: require_client,
    Auth.FRONTEND: require_frontend,
}


class Call(Generic[B]):
    """One request to one operation. `B` is the TypedDict of its declared body."""

    def __init__(self, *, operation: Operation, request: Request, raw: bytes) -> None:
        self.operation = operation
        self.request = request
        self._raw = RawBody(content=raw, content_type=request.headers.get("content-type"))
        self._principal: Principal | None = None
        self._body: Any = None
        self._has_body = False

    # -- who ------------------------------------------------------------------------------

    def authenticate(self) -> None:
        check = _AUTHENTICATE.get(self.operation.auth)
        if check is not None:
            self._principal = check(self.request)

    @property
    def principal(self) -> Principal:
        if self._principal is None:
            raise RuntimeError(f"{self.operation.operation_id} takes no credentials")
        return self._principal

    @property
    def actor(self) -> Actor:
        return self.principal.actor

    def allows(self, *, project: str | None = None) -> bool:
        """Has the caller one of the declared permissions, for `project`?"""
        return permissions.has_any(self.principal, self.operation.permissions, project=project)

    def require(self, *, project: str | None = None) -> None:
        """One of the declared permissions for `project` (the stored object's), or 403."""
        permissions.require_any(self.principal, *self.operation.permissions, project=project)

    # -- what -----------------------------------------------------------------------------

    def require_json(self) -> None:
        """The body's content type (415), before anything else is known of the body."""
        http.require_json(self._raw)

    @property
    def body(self) -> B:
        """The body, validated against the declared schema (400 in Unleash's words)."""
        if not self._has_body:
            self._body = http.parse_json(self._raw, self.operation.body)
            self._has_body = True
        return cast(B, self._body)

    @property
    def raw_body(self) -> RawBody:
        return self._raw

    def path_str(self, name: str) -> str:
        value: str = self.request.path_params[name]
        return value

    def path_int(self, name: str) -> int:
        """An integer path parameter (declared so), or 400 as ajv words it."""
        return parse_int_param(self.path_str(name), name=name)

    def query(self, name: str) -> str | None:
        return self.request.query_params.get(name)

    def query_all(self, name: str) -> list[str]:
        return self.request.query_params.getlist(name)

    # -- where ----------------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        settings: Settings = self.request.app.state.settings
        return settings

    @property
    def state(self) -> Any:
        return self.request.app.state

    @property
    def db(self) -> Engine:
        engine: Engine = self.request.app.state.db
        return engine

    def read(self) -> AbstractContextManager[Connection]:
        return self.db.connect()

    def write(self, *, refresh: bool = True) -> AbstractContextManager[Connection]:
        """The unit of work (leash.api.write): `refresh=False` for writes SDKs never see
        (metrics, sessions, personal access tokens, users)."""
        return unit_of_work(self.request.app.state, refresh=refresh)


@contextmanager
def _in_handler() -> Iterator[None]:
    token = IN_HANDLER.set(True)
    try:
        yield
    finally:
        IN_HANDLER.reset(token)


def serve(call: Call[Any], handler: Callable[[Call[Any]], Response]) -> Response:
    with _in_handler():
        call.authenticate()
        return handler(call)
