"""Which paths the UI answers: its own deep links and assets, never the API's."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

import flagkit
from conftest import make_settings
from leash.app import create_app
from leash.config import Settings
from live import live_server
from support import ADMIN, CLIENT, FRONTEND, free_port

pytestmark = [pytest.mark.ui, pytest.mark.slow]

# Which routes answer does not depend on the database: these run on SQLite only.
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

UI_PATHS = [
    "/",
    "/login",
    "/new-user",
    "/reset-password",
    "/segments",
    "/segments/create",
    "/segments/edit/7",
    "/projects",
    "/projects/default/features/my-flag",
    "/playground",
    "/api-tokens",
    "/history",
]


@SQLITE_ONLY
@pytest.mark.parametrize("path", UI_PATHS)
def test_ui_path__serves_the_app_shell(client: TestClient, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert '<script type="module" src="/ui-assets/js/app.js"></script>' in response.text
    assert '<meta name="leash-base" content="">' in response.text


@SQLITE_ONLY
def test_ui_asset__served_as_javascript(client: TestClient) -> None:
    response = client.get("/ui-assets/js/pages/segments.js")

    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.text.startswith("import ")


@pytest.mark.parametrize(
    "path", ["/api/admin/not-here", "/not-a-ui-page", "/ui-assets/missing.js", "/segmentsx"]
)
@SQLITE_ONLY
def test_unknown_path__unleash_json_404_not_the_app(client: TestClient, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 404
    assert response.json()["message"] == (
        f"The path you were looking for ({path}) is not available."
    )


@SQLITE_ONLY
def test_api_paths__still_answered_by_the_api(client: TestClient) -> None:
    assert client.get("/health").json() == {"health": "GOOD"}
    assert client.get("/docs/openapi.json").json()["info"]["title"] == "Unleash API"
    assert client.get("/api/admin/segments").json()["name"] == "AuthenticationRequired"


def test_admin_api__accepts_the_login_session_cookie(client: TestClient) -> None:
    login = client.post(
        "/auth/simple/login", json={"username": "admin", "password": "unleash4all"}
    )
    assert login.status_code == 200

    response = client.get("/api/admin/segments")

    assert response.status_code == 200
    assert response.json() == {"segments": []}


# --- cross-site request forgery and security headers (leash.web_security) ---

FLAG = "websec-csrf"
PRODUCTION_ON = f"/api/admin/projects/default/features/{FLAG}/environments/production/on"
EVIL = "https://evil.testserver"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
ADVICE = (
    " Changes made with a login session must come from leash's own pages. If leash is served "
    "at that address, set UNLEASH_URL to it (or LEASH_TRUST_PROXY behind a proxy that sets "
    "X-Forwarded-Proto)."
)


def _logged_in(client: TestClient, **headers: str) -> TestClient:
    flagkit.create_flag(client, FLAG)
    response = client.post(
        "/auth/simple/login",
        json={"username": "admin", "password": "unleash4all"},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    return client


def _production_enabled(client: TestClient) -> bool:
    flag = client.get(f"/api/admin/projects/default/features/{FLAG}", headers=ADMIN).json()
    enabled: bool = next(e["enabled"] for e in flag["environments"] if e["name"] == "production")
    return enabled


def _forbidden(message: str) -> dict[str, Any]:
    return {
        "name": "ForbiddenError",
        "message": message + ADVICE,
        "details": [{"message": message + ADVICE}],
    }


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"Origin": EVIL}, f"This request comes from another origin (Origin {EVIL})."),
        ({"Origin": "null"}, "This request comes from another origin (Origin null)."),
        (
            {"Referer": f"{EVIL}/page"},
            f"This request comes from another origin (Referer {EVIL}/page).",
        ),
        # Another port is another origin.
        (
            {"Origin": "http://testserver:8080"},
            "This request comes from another origin (Origin http://testserver:8080).",
        ),
        # An Origin that matches wins over nothing: a foreign Origin with our Referer is foreign.
        (
            {"Origin": EVIL, "Referer": "http://testserver/"},
            f"This request comes from another origin (Origin {EVIL}).",
        ),
        ({"Sec-Fetch-Site": "same-site"}, "This request comes from another site (Sec-Fetch-Site)."),
        # An Authorization header that carries no secret: auth falls back to the cookie, so
        # the request is cookie-authenticated and checked as one.
        (
            {"Origin": EVIL, "Authorization": "\x1c"},
            f"This request comes from another origin (Origin {EVIL}).",
        ),
    ],
)
def test_cookie_write__from_another_origin__403_and_flag_unchanged(
    client: TestClient, headers: dict[str, str], reason: str
) -> None:
    _logged_in(client)

    response = client.post(PRODUCTION_ON, headers=headers)

    body = response.json()
    assert (response.status_code, body.pop("id") != "") == (403, True)
    assert body == _forbidden(reason)
    assert _production_enabled(client) is False


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://testserver"},
        {"Origin": "HTTP://TestServer:80"},
        {"Referer": "http://testserver/projects/default/features/websec-csrf"},
        # Neither header: not a browser acting for another site (see leash.web_security).
        {},
        {"Sec-Fetch-Site": "same-origin"},
    ],
)
def test_cookie_write__from_own_origin_or_no_browser__200(
    client: TestClient, headers: dict[str, str]
) -> None:
    _logged_in(client)

    response = client.post(PRODUCTION_ON, headers=headers)

    assert (response.status_code, response.text) == (200, "")
    assert _production_enabled(client) is True


def test_token_write__from_another_origin__unaffected_even_with_a_cookie(
    client: TestClient,
) -> None:
    _logged_in(client)

    response = client.post(PRODUCTION_ON, headers={**ADMIN, "Origin": EVIL})

    assert (response.status_code, response.text) == (200, "")
    assert _production_enabled(client) is True


def test_cookie_read__from_another_origin__allowed(client: TestClient) -> None:
    _logged_in(client)

    response = client.get("/api/admin/segments", headers={"Origin": EVIL})

    assert (response.status_code, response.json()) == (200, {"segments": []})


def test_login__from_another_origin__403_no_session(client: TestClient) -> None:
    response = client.post(
        "/auth/simple/login",
        json={"username": "admin", "password": "unleash4all"},
        headers={"Origin": EVIL},
    )

    body = response.json()
    assert (response.status_code, body.pop("id") != "") == (403, True)
    assert body == _forbidden(f"This request comes from another origin (Origin {EVIL}).")
    assert "set-cookie" not in response.headers


def test_login__from_own_origin__200_session(client: TestClient) -> None:
    response = client.post(
        "/auth/simple/login",
        json={"username": "admin", "password": "unleash4all"},
        headers={"Origin": "http://testserver"},
    )

    assert response.status_code == 200
    assert response.headers["set-cookie"].startswith("unleash-session=")


def test_cookie_write__from_unleash_url_origin__200(database_url: str) -> None:
    # Behind a proxy that rewrites Host, UNLEASH_URL names the origin users see.
    settings = make_settings(database_url, unleash_url="https://flags.example.com/unleash")
    with TestClient(create_app(settings)) as client:
        _logged_in(client, Origin="https://flags.example.com")

        response = client.post(PRODUCTION_ON, headers={"Origin": "https://flags.example.com"})

        assert (response.status_code, response.text) == (200, "")


@pytest.mark.parametrize(
    ("trust_proxy", "secure", "status"), [(True, True, 200), (False, False, 403)]
)
def test_forwarded_proto__trusted_only_with_leash_trust_proxy(
    database_url: str, trust_proxy: bool, secure: bool, status: int
) -> None:
    settings = make_settings(database_url, leash_trust_proxy=trust_proxy)
    behind_tls = {"X-Forwarded-Proto": "https"}
    with TestClient(create_app(settings)) as client:
        flagkit.create_flag(client, FLAG)
        login = client.post(
            "/auth/simple/login",
            json={"username": "admin", "password": "unleash4all"},
            headers=behind_tls,
        )
        assert login.status_code == 200
        assert login.headers["set-cookie"].endswith("; Secure") is secure
        sid = login.cookies["unleash-session"]

        response = client.post(
            PRODUCTION_ON,
            headers={**behind_tls, "Origin": "https://testserver"},
            cookies={"unleash-session": sid},
        )

        assert response.status_code == status


@SQLITE_ONLY
def test_ui_shell__content_security_policy_and_no_framing(client: TestClient) -> None:
    response = client.get("/projects")

    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"


@SQLITE_ONLY
@pytest.mark.parametrize("path", ["/ui-assets/js/app.js", "/health", "/api/admin/segments"])
def test_other_answers__nosniff_and_no_framing(client: TestClient, path: str) -> None:
    response = client.get(path)

    assert response.headers.get_list("x-content-type-options") == ["nosniff"]
    assert response.headers.get_list("x-frame-options") == ["DENY"]


# --- the same in a real browser: leash on a port, Debian's headless Chromium ---

CHROMIUM = Path("/usr/bin/chromium")
UI_PASSWORD = "websec-ui-password"


@pytest.fixture
def browser_page() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        page = browser.new_page()
        page.set_default_timeout(10_000)
        yield page
        browser.close()


@SQLITE_ONLY
def test_browser__ui_works_under_its_csp_and_a_same_site_form_cannot_switch_a_flag(
    settings: Settings, browser_page: Any
) -> None:
    from playwright.sync_api import expect

    first_admin = {"unleash_default_admin_password": UI_PASSWORD}
    page = browser_page
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.on("pageerror", lambda error: console.append(str(error)))
    with live_server(settings.model_copy(update=first_admin)) as url:
        flagkit.create_flag(httpx.Client(base_url=url), FLAG)
        page.goto(f"{url}/projects/default/features/{FLAG}")
        page.get_by_label("Username or email").fill("admin")
        page.get_by_label("Password").fill(UI_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        # A cookie-authenticated write from leash's own page (Chromium sends its Origin).
        page.get_by_role("switch", name=f"{FLAG} in production").check()
        expect(page.get_by_text(f"{FLAG} is on in production")).to_be_visible()
        # Another port of the same host: the same site, so SameSite=Lax sends the cookie.
        attacker = f"http://127.0.0.1:{free_port()}"
        page.route(
            f"{attacker}/page",
            lambda route: route.fulfill(
                content_type="text/html",
                body=(
                    f'<form method="post" action="{url}{PRODUCTION_ON[:-3]}/off"></form>'
                    "<script>document.forms[0].submit()</script>"
                ),
            ),
        )
        with page.expect_response(f"{url}{PRODUCTION_ON[:-3]}/off") as refused:
            page.goto(f"{attacker}/page")

        assert refused.value.status == 403
        with httpx.Client(base_url=url, headers=ADMIN) as api:
            flag = api.get(f"/api/admin/projects/default/features/{FLAG}").json()
        environments = {e["name"]: e["enabled"] for e in flag["environments"]}
        assert environments["production"] is True
    # Nothing refused by the CSP (Chromium logs each violation), no script error: only the
    # UI's "who am I" before logging in, and the refused form post.
    failed = "Failed to load resource: the server responded with a status of"
    assert console == [f"{failed} 401 (Unauthorized)", f"{failed} 403 (Forbidden)"]


@SQLITE_ONLY
@pytest.mark.parametrize("path", ["/api/client/features", "/api/frontend"])
def test_sdk_hot_paths__routed_answer_without_security_headers(
    client: TestClient, path: str
) -> None:
    # The hot path answers these from memory with no middleware: the routed answer must match.
    response = client.get(path, headers=FRONTEND if path == "/api/frontend" else CLIENT)

    assert response.status_code == 200
    assert "x-content-type-options" not in response.headers
    assert "x-frame-options" not in response.headers
