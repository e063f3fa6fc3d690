"""CORS on the frontend API, answered as Unleash's `cors` middleware does, for chosen origins.

UNLEASH_FRONTEND_API_ORIGINS lists the origins (or `*`) whose browsers may call /api/frontend.
Unlike Unleash, whose default is `*`, leash sends no CORS headers until origins are configured.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

PREFIX = "/api/frontend"
ALLOWED_METHODS = b"GET,HEAD,PUT,PATCH,POST,DELETE"
MAX_AGE = b"86400"


class FrontendCors:
    """Which origins may call the frontend API, and the headers that tell a browser so."""

    def __init__(self, *, origins: Iterable[str]) -> None:
        cleaned = [origin.strip().rstrip("/") for origin in origins if origin.strip()]
        self.any_origin = "*" in cleaned
        self.origins = frozenset(cleaned)

    @staticmethod
    def applies(path: str) -> bool:
        return path == PREFIX or path.startswith(PREFIX + "/")

    def _allowed(self, origin: bytes | None) -> bytes | None:
        if self.any_origin:
            return b"*"
        if origin is not None and origin.decode("latin-1") in self.origins:
            return origin
        return None

    def response_headers(self, origin: bytes | None) -> list[tuple[bytes, bytes]]:
        """Headers for an actual (non-preflight) response."""
        headers = [(b"vary", b"Origin")]
        allowed = self._allowed(origin)
        if allowed is not None:
            headers += [
                (b"access-control-allow-origin", allowed),
                (b"access-control-allow-credentials", b"true"),
                (b"access-control-expose-headers", b"ETag"),
            ]
        return headers

    def preflight_headers(
        self, origin: bytes | None, requested_headers: bytes | None
    ) -> list[tuple[bytes, bytes]]:
        headers = [(b"vary", b"Origin, Access-Control-Request-Headers")]
        allowed = self._allowed(origin)
        if allowed is None:
            return [*headers, (b"content-length", b"0")]
        headers += [
            (b"access-control-allow-origin", allowed),
            (b"access-control-allow-credentials", b"true"),
            (b"access-control-allow-methods", ALLOWED_METHODS),
        ]
        if requested_headers:
            headers.append((b"access-control-allow-headers", requested_headers))
        headers += [
            (b"access-control-max-age", MAX_AGE),
            (b"access-control-expose-headers", b"ETag"),
            (b"content-length", b"0"),
        ]
        return headers


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None


class FrontendCorsMiddleware:
    """Answers preflights on /api/frontend* and adds CORS headers to its responses."""

    def __init__(self, app: ASGIApp, *, cors: FrontendCors) -> None:
        self.app = app
        self.cors = cors

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.cors.applies(scope["path"]):
            await self.app(scope, receive, send)
            return
        origin = _header(scope, b"origin")
        if scope["method"] == "OPTIONS":
            # As the `cors` package: every OPTIONS here is a preflight, answered 204.
            headers = self.cors.preflight_headers(
                origin, _header(scope, b"access-control-request-headers")
            )
            await send({"type": "http.response.start", "status": 204, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        extra = self.cors.response_headers(origin)

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_cors)
