"""Browser-facing defences: cross-site request forgery checks on cookie-authenticated writes,
and the security headers every answer carries.

The admin UI calls the admin API with the `unleash-session` cookie, which the browser attaches
to any request for leash's host, whoever's page asks. SameSite=Lax keeps it off cross-*site*
POSTs, but not off those from another origin of the same site (a sibling subdomain). So an
unsafe request (POST, PUT, PATCH, DELETE) that would be authenticated by the cookie must come
from leash's own origin: its `Origin` header, or the origin of its `Referer` when `Origin` is
absent, is the request's own scheme and host or UNLEASH_URL's origin. Unleash 8.2 has no such
check (it relies on SameSite alone); leash differs on purpose.

When neither header is present the request is let through, unless `Sec-Fetch-Site` says it
comes from another origin. Browsers send `Origin` on every cross-origin request whose method is
not GET or HEAD (fetch and form posts alike; Firefox since 70, Chrome and Safari longer), and
an attacker's page can suppress `Referer` but not `Origin` (it becomes "null", which is
refused). A request with neither comes from a program (curl, a script replaying a session
cookie), which no other site can make a browser send; refusing it would break such clients and
protect no browser.

Calls with an Authorization header are authenticated by their token, not by the cookie (a
browser never adds that header on another site's behalf without a CORS preflight leash does not
grant), so they are not checked. Login carries no session yet, but a login posted from another
origin (logging a victim into the attacker's account) is refused the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

import orjson
from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from leash.errors import CrossOriginRequestError
from leash.identity import SESSION_COOKIE, secret_of

UNSAFE_METHODS: Final = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LOGIN_PATH: Final = "/auth/simple/login"
DEFAULT_PORTS: Final = {"http": 80, "https": 443}
# leash.hot_paths.CLIENT_FEATURES and FRONTEND, not imported: that module pulls in the routes.
HOT_PATHS: Final = frozenset({"/api/client/features", "/api/frontend"})
# Longer Origin or Referer values are not parsed (headers are capped at 16 KiB in all anyway).
MAX_ORIGIN_CHARS: Final = 2048
# Only these two say where a browser request came from; "none" is a user typing the address.
CROSS_FETCH_SITES: Final = frozenset({b"cross-site", b"same-site"})

# Every answer that goes through the middleware stack but the SDK hot paths' (leash.hot_paths
# answers those before any middleware, and their routed answers must stay byte for byte the
# same; they serve JSON to SDKs, which no browser renders). Cheap: two tuples appended.
SECURITY_HEADERS: Final = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
)
# The admin UI: ES modules and one stylesheet from our own origin, API calls to it, nothing
# inline but style attributes (the UI's DOM helper sets a few layout tweaks as `style="..."`;
# they cannot run code). `data:` images for the empty favicon.
UI_CONTENT_SECURITY_POLICY: Final = (
    "default-src 'none'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
UI_HEADERS: Final = {
    "Content-Security-Policy": UI_CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
}


Origin = tuple[str, str, int]


def parse_origin(value: str) -> Origin | None:
    """(scheme, host, port) of an origin or URL, or None when it names no http(s) origin."""
    if len(value) > MAX_ORIGIN_CHARS:
        return None
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in DEFAULT_PORTS or not host:
        return None
    return scheme, host, port if port is not None else DEFAULT_PORTS[scheme]


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None


def request_scheme(scope: Scope, *, trust_proxy: bool) -> str:
    """The scheme the client used: X-Forwarded-Proto's first value when a trusted proxy sets
    it, else the connection's own."""
    if trust_proxy:
        forwarded = _header(scope, b"x-forwarded-proto")
        if forwarded is not None:
            first = forwarded.decode("latin-1").split(",", 1)[0].strip().lower()
            if first in DEFAULT_PORTS:
                return first
    return str(scope.get("scheme", "http"))


def own_origin(scope: Scope, *, trust_proxy: bool) -> Origin | None:
    scheme = request_scheme(scope, trust_proxy=trust_proxy)
    host = _header(scope, b"host")
    if host is None:
        server = scope.get("server")
        if not server:
            return None
        return parse_origin(f"{scheme}://{server[0]}:{server[1]}")
    return parse_origin(f"{scheme}://{host.decode('latin-1')}")


@dataclass(frozen=True, slots=True)
class OriginPolicy:
    trust_proxy: bool
    # UNLEASH_URL's origin: where users reach leash, when a proxy in front rewrites the Host.
    public_origin: Origin | None

    def refusal(self, scope: Scope) -> str | None:
        """Why this request must be refused as cross-site, or None to let it through."""
        if scope["method"] not in UNSAFE_METHODS or not _cookie_or_login(scope):
            return None
        authorization = _header(scope, b"authorization")
        if authorization is not None and secret_of(authorization.decode("latin-1")):
            # Authenticated by the token (auth reads the cookie only without one).
            return None
        origin = _header(scope, b"origin")
        source = "Origin"
        if origin is None:
            origin = _header(scope, b"referer")
            source = "Referer"
        if origin is None:
            site = _header(scope, b"sec-fetch-site")
            if site is not None and site.strip().lower() in CROSS_FETCH_SITES:
                return "This request comes from another site (Sec-Fetch-Site)."
            return None
        text = origin.decode("latin-1")
        parsed = parse_origin(text)
        if parsed is not None and parsed in (
            own_origin(scope, trust_proxy=self.trust_proxy),
            self.public_origin,
        ):
            return None
        shown = text if len(text) <= 200 else text[:200] + "…"
        return f"This request comes from another origin ({source} {shown})."


def _cookie_or_login(scope: Scope) -> bool:
    if scope["path"] == LOGIN_PATH:
        return True
    cookie = _header(scope, b"cookie")
    if cookie is None:
        return False
    return bool(cookie_parser(cookie.decode("latin-1")).get(SESSION_COOKIE))


class WebSecurity:
    """ASGI middleware: refuses cross-origin cookie-authenticated writes (403, Unleash's error
    body) and adds SECURITY_HEADERS to every answer that has not set them."""

    def __init__(self, app: ASGIApp, *, policy: OriginPolicy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self.policy.refusal(scope)
        if refusal is not None:
            await _refuse(send, refusal)
            return
        if scope["path"] in HOT_PATHS:
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {key.lower() for key, _ in headers}
                headers.extend(h for h in SECURITY_HEADERS if h[0] not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _refuse(send: Send, reason: str) -> None:
    error = CrossOriginRequestError(
        f"{reason} Changes made with a login session must come from leash's own pages. If "
        "leash is served at that address, set UNLEASH_URL to it (or LEASH_TRUST_PROXY behind "
        "a proxy that sets X-Forwarded-Proto)."
    )
    content = orjson.dumps(error.body())
    await send(
        {
            "type": "http.response.start",
            "status": error.status_code,
            "headers": [
                (b"content-type", b"application/json; charset=utf-8"),
                (b"content-length", str(len(content)).encode()),
                *SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": content})
