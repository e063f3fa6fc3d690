"""Limits on what one request may be: body size (413), header size (431), and the per-address
rate limits Unleash puts on SDK registration and metrics (429). Logins are limited per account,
in the database (leash.users.sessions.start_login), with the same 429."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import orjson
from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from leash.errors import HeadersTooLargeError, LeashError, PayloadTooLargeError

# express.json()'s default limit, which Unleash 7.5.1 uses for every JSON body but one.
DEFAULT_MAX_BODY_BYTES: Final = 100 * 1024
# Unleash's limit on the export/import API's bodies (express.json's "500kB": 500 KiB).
BATCH_PATH: Final = "/api/admin/features-batch"
BATCH_MAX_BODY_BYTES: Final = 500 * 1024
# Node's default --max-http-header-size: Unleash never sees a request with more header bytes.
MAX_HEADER_BYTES: Final = 16 * 1024
# express-rate-limit's default answer, as Unleash sends it.
TOO_MANY: Final = "Too many requests, please try again later."


def oversized_headers(headers: list[tuple[bytes, bytes]]) -> bool:
    # As Node counts them: name, ": ", value and CRLF for each.
    return sum(len(k) + len(v) + 4 for k, v in headers) > MAX_HEADER_BYTES


class _TooLarge(Exception):
    pass


class RequestLimits:
    """ASGI middleware: refuses a body over ``max_body_bytes`` (413) and headers over
    ``MAX_HEADER_BYTES`` (431) in Unleash's error body, before any route reads them.

    Unleash answers both with a bare page (express's HTML 413, Node's 431 with no body); leash
    gives its usual error body instead, so clients and the OpenAPI document see one shape.
    """

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers: list[tuple[bytes, bytes]] = scope["headers"]
        if oversized_headers(headers):
            message = f"Request header fields are larger than {MAX_HEADER_BYTES} bytes in all."
            await _send_error(send, HeadersTooLargeError(message))
            return
        limit = self._limit(scope.get("path", ""))
        declared = next((v for k, v in headers if k == b"content-length"), None)
        # Digits beyond the limit's own length are over it: no int() of a long string.
        digits = declared.lstrip(b"0") if declared is not None and declared.isdigit() else None
        if digits is not None and (len(digits) > len(str(limit)) or int(digits or b"0") > limit):
            await _send_error(send, self._too_large(limit))
            return
        try:
            body = await self._read(receive, limit)
        except _TooLarge:
            await _send_error(send, self._too_large(limit))
            return
        await self.app(scope, _replay(body, receive), send)

    def _limit(self, path: str) -> int:
        if path == BATCH_PATH or path.startswith(BATCH_PATH + "/"):
            return max(self.max_body_bytes, BATCH_MAX_BODY_BYTES)
        return self.max_body_bytes

    async def _read(self, receive: Receive, limit: int) -> bytes:
        # Read in full, counting: a chunked body has no Content-Length to check up front.
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                # The client went away: hand the app what came, it will see the disconnect.
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise _TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    def _too_large(self, limit: int) -> PayloadTooLargeError:
        return PayloadTooLargeError(
            f"Request entity too large: the body is larger than {limit} bytes."
        )


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _send_error(send: Send, error: LeashError) -> None:
    content = orjson.dumps(error.body())
    await send(
        {
            "type": "http.response.start",
            "status": error.status_code,
            "headers": [
                (b"content-type", b"application/json; charset=utf-8"),
                (b"content-length", str(len(content)).encode()),
                # The rest of an oversized body is never read: the connection cannot be reused.
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": content})


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    headers: dict[str, str]


def rate_limit_headers(
    *, limit: int, window_seconds: int, remaining: int, reset_seconds: int
) -> dict[str, str]:
    """express-rate-limit's draft-6 headers, as Unleash sends them on every limited route."""
    return {
        "RateLimit-Policy": f"{limit};w={window_seconds}",
        "RateLimit-Limit": str(limit),
        "RateLimit-Remaining": str(remaining),
        "RateLimit-Reset": str(reset_seconds),
    }


class RateLimiter:
    """express-rate-limit as Unleash configures it: at most ``limit`` requests per client
    address in a fixed window (one minute), counted in this process, with the draft-6
    ``RateLimit-*`` headers on every answer and ``Retry-After`` on a 429."""

    def __init__(
        self,
        *,
        limit: int,
        window_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window_seconds
        self._clock = clock
        self._hits: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> Decision:
        now = self._clock()
        with self._lock:
            if len(self._hits) > 100_000:
                # Many addresses: drop the windows that are over before the map grows further.
                self._hits = {k: v for k, v in self._hits.items() if now - v[0] < self.window}
            start, count = self._hits.get(key, (now, 0))
            if now - start >= self.window:
                start, count = now, 0
            count += 1
            self._hits[key] = (start, count)
        reset = max(1, math.ceil(start + self.window - now))
        headers = rate_limit_headers(
            limit=self.limit,
            window_seconds=int(self.window),
            remaining=max(0, self.limit - count),
            reset_seconds=reset,
        )
        allowed = count <= self.limit
        if not allowed:
            headers["Retry-After"] = str(reset)
        return Decision(allowed=allowed, headers=headers)


class RateLimited(Exception):
    """Raised by a route over its limit; the app answers express-rate-limit's 429."""

    def __init__(self, headers: dict[str, str]) -> None:
        super().__init__(TOO_MANY)
        self.headers = headers


def check(request: Request, name: str) -> dict[str, str]:
    """Count this request against the limiter ``name`` (app.state.rate_limiters); returns the
    headers for the answer, or raises RateLimited."""
    limiter: RateLimiter = request.app.state.rate_limiters[name]
    decision = limiter.hit(request.client.host if request.client else "")
    if not decision.allowed:
        raise RateLimited(decision.headers)
    return decision.headers
