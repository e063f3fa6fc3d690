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
from leash.auth import require_admin, require_client, require_frontend
from leash.config import Settings
from leash.http import RawBody
from leash.identity import Actor, Principal
from leash.maintenance import service as maintenance
from leash.validation import check_query_value, parse_int_param

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
        self._query_checked = False

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
            self._body = http.parse_json(
                self._raw, self.operation.body, check=self.operation.body_check
            )
            self._has_body = True
        return cast(B, self._body)

    def check_body(self) -> None:
        """The body checked (a 400) by a handler that uses none of it, as Unleash's does."""
        _ = self.body

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
        """A declared query parameter (the last one sent, as Starlette reads it), once every
        declared one passed its schema (400 for the first that did not, in declared order)."""
        self._check_query(name)
        return self.request.query_params.get(name)

    def query_all(self, name: str) -> list[str]:
        self._check_query(name)
        return self.request.query_params.getlist(name)

    def query_items(self) -> list[tuple[str, str]]:
        """Every query parameter, declared or not, in the order sent (a frontend SDK's
        context), once the declared ones passed their schemas."""
        self._check_query(None)
        return self.request.query_params.multi_items()

    def _check_query(self, name: str | None) -> None:
        declared = self.operation.query
        if name is not None and name not in declared:
            raise RuntimeError(f"{self.operation.operation_id} declares no query {name}")
        if self._query_checked:
            return
        params = self.request.query_params
        for declared_name, schema in declared.items():
            if schema["type"] == "array":
                values = params.getlist(declared_name)
                schema = schema.get("items", {})
            else:
                last = params.get(declared_name)
                values = [] if last is None else [last]
            for value in values:
                check_query_value(value, schema, name=declared_name)
        self._query_checked = True

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
        # Where Unleash's maintenance middleware sits: after authentication, before the
        # route's permission check and body; every admin POST, PUT and DELETE passes here.
        maintenance.refuse_if_on(call.db, method=call.request.method, path=call.request.url.path)
        return handler(call)
