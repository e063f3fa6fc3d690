"""The two paths SDKs hit all day, answered before FastAPI's routing, validation and thread pool.

`GET /api/client/features` and `GET /api/frontend` are answered here when everything they need
is already in memory: the caller's token in the token cache, and the snapshot (or compiled
state) for its query in the current view. Then a request costs a header scan, a dict lookup and,
for the frontend, one pass over compiled predicates; no database, no models, no thread hop.
Anything else (unknown or wrong tokens, a bad Unleash-Client-Spec header, a query not rendered
yet) goes on to the regular routes, which answer it (errors included) and fill the caches.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI
from starlette.types import Receive, Scope, Send

from leash.client_api.queries import build_query
from leash.client_api.rendering import JSON_UTF8, Query
from leash.client_api.respond import respond
from leash.client_api.snapshot import ClientSnapshots
from leash.errors import LeashError
from leash.frontend_api import context as contexts
from leash.frontend_api.cors import FrontendCors
from leash.frontend_api.queries import frontend_query
from leash.frontend_api.service import toggles_body
from leash.identity import PAT_PREFIX, Principal, secret_of
from leash.limits import oversized_headers
from leash.secrets import sha256
from leash.tokens.cache import TokenCache

CLIENT_FEATURES = "/api/client/features"
MAX_QUERIES = 10_000
FRONTEND = "/api/frontend"


def _headers(scope: Scope) -> dict[bytes, bytes]:
    # The first of repeated headers wins, as Starlette's `headers.get` has it.
    found: dict[bytes, bytes] = {}
    for key, value in scope["headers"]:
        found.setdefault(key, value)
    return found


def _secret(header: bytes | None) -> str | None:
    return None if header is None else secret_of(header.decode("latin-1"))


def _text(header: bytes | None) -> str | None:
    return None if header is None else header.decode("latin-1")


class HotPaths:
    def __init__(self, *, snapshots: ClientSnapshots, tokens: TokenCache) -> None:
        self.snapshots = snapshots
        self.tokens = tokens
        # Set when UNLEASH_FRONTEND_API_ORIGINS is: frontend answers carry its CORS headers.
        self.cors: FrontendCors | None = None
        # (token digest, spec header, query string) -> (principal it was built for, query)
        self._queries: dict[tuple[str, bytes | None, bytes], tuple[Principal, Query]] = {}

    async def handle(self, scope: Scope, send: Send) -> bool:
        """Answer the request if memory has all it takes; False leaves it to the routes."""
        if scope["method"] != "GET":
            return False
        path = scope["path"]
        if path not in (CLIENT_FEATURES, FRONTEND) or oversized_headers(scope["headers"]):
            # Oversized headers get their 431 from leash.limits on the regular route.
            return False
        if path == CLIENT_FEATURES:
            return await self._client_features(scope, send)
        return await self._frontend(scope, send)

    def _principal(self, headers: dict[bytes, bytes], *, kind: str) -> tuple[str, Principal] | None:
        secret = _secret(headers.get(b"authorization"))
        if secret is None or secret.startswith(PAT_PREFIX):
            return None
        digest = sha256(secret)
        principal = self.tokens.get(digest)
        if principal is None or principal.kind != kind:
            return None
        return digest, principal

    def _client_query(
        self, scope: Scope, headers: dict[bytes, bytes], digest: str, principal: Principal
    ) -> Query | None:
        spec = headers.get(b"unleash-client-spec")
        key = (digest, spec, scope.get("query_string", b""))
        found = self._queries.get(key)
        # SDKs repeat the same request all day: build its query once per token object.
        if found is not None and found[0] is principal:
            return found[1]
        params = _params(scope)
        try:
            query = build_query(
                principal,
                spec_header=_text(spec),
                project=[v for k, v in params if k == "project"] or None,
                name_prefix=_last(params, "namePrefix"),
                tag=[v for k, v in params if k == "tag"] or None,
                environment=_last(params, "environment"),
            )
        except LeashError:
            return None
        if len(self._queries) >= MAX_QUERIES:
            self._queries = {}
        self._queries[key] = (principal, query)
        return query

    async def _client_features(self, scope: Scope, send: Send) -> bool:
        headers = _headers(scope)
        found = self._principal(headers, kind="client")
        if found is None:
            return False
        query = self._client_query(scope, headers, *found)
        if query is None:
            return False
        rendered = self.snapshots.view.body(query)
        if rendered is None:
            return False
        status, response_headers, body = respond(
            rendered,
            if_none_match=_text(headers.get(b"if-none-match")),
            accept_encoding=_text(headers.get(b"accept-encoding")),
        )
        await send({"type": "http.response.start", "status": status, "headers": response_headers})
        await send({"type": "http.response.body", "body": body})
        return True

    async def _frontend(self, scope: Scope, send: Send) -> bool:
        headers = _headers(scope)
        found = self._principal(headers, kind="frontend")
        if found is None:
            return False
        principal = found[1]
        compiled = self.snapshots.view.compiled(frontend_query(principal))
        if compiled is None:
            return False
        client = scope.get("client")
        context = contexts.complete(
            contexts.from_query(_params(scope)),
            client_ip=client[0] if client else None,
            environment=principal.environment,
        )
        body = toggles_body(compiled, context)
        response_headers = [
            (b"cache-control", b"no-cache"),
            (b"content-length", str(len(body)).encode()),
            (b"content-type", JSON_UTF8),
        ]
        if self.cors is not None:
            response_headers += self.cors.response_headers(headers.get(b"origin"))
        await send({"type": "http.response.start", "status": 200, "headers": response_headers})
        await send({"type": "http.response.body", "body": body})
        return True


def _params(scope: Scope) -> list[tuple[str, str]]:
    raw: bytes = scope.get("query_string", b"")
    if not raw:
        return []
    # As Starlette's QueryParams parse them.
    return parse_qsl(raw.decode("latin-1"), keep_blank_values=True)


def _last(params: list[tuple[str, Any]], name: str) -> str | None:
    found: str | None = None
    for key, value in params:
        if key == name:
            found = value
    return found


class LeashApp(FastAPI):
    """FastAPI, with the hot paths tried before its own per-request work (telemetry check,
    middleware, routing)."""

    hot_paths: HotPaths | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        hot = self.hot_paths
        if hot is not None and scope["type"] == "http" and await hot.handle(scope, send):
            return
        await super().__call__(scope, receive, send)
