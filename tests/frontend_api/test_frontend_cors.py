"""CORS on /api/frontend: off unless UNLEASH_FRONTEND_API_ORIGINS is set; then preflights and
responses carry the headers Unleash's `cors` middleware sends, for the listed origins only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

import flagkit
from conftest import make_settings
from leash.app import create_app
from leash.config import Settings
from support import CLIENT, FRONTEND

ALLOWED = "https://app.example"
OTHER = "https://evil.example"
PREFLIGHT = {
    "Access-Control-Request-Method": "GET",
    "Access-Control-Request-Headers": "authorization,content-type",
}


def cors_headers(response: object) -> dict[str, str]:
    headers = response.headers  # type: ignore[attr-defined]
    return {k: v for k, v in headers.items() if k.startswith("access-control-")}


@pytest.fixture
def cors_client(database_url: str) -> Iterator[TestClient]:
    settings = make_settings(database_url, unleash_frontend_api_origins=[ALLOWED])
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def test_settings__origins_env__comma_separated_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UNLEASH_FRONTEND_API_ORIGINS", "https://a.example, https://b.example")
    assert Settings().unleash_frontend_api_origins == ["https://a.example", "https://b.example"]
    monkeypatch.delenv("UNLEASH_FRONTEND_API_ORIGINS")
    assert Settings().unleash_frontend_api_origins == []


def test_cors__not_configured__no_cors_headers_and_no_preflight(client: TestClient) -> None:
    for _ in range(2):  # the second GET is answered by the in-memory hot path
        response = client.get("/api/frontend", headers={**FRONTEND, "Origin": ALLOWED})
        assert response.status_code == 200
        assert cors_headers(response) == {}
    preflight = client.options("/api/frontend", headers={"Origin": ALLOWED, **PREFLIGHT})
    assert preflight.status_code == 404
    assert cors_headers(preflight) == {}


def test_cors__allowed_origin__preflight_204_as_unleash(cors_client: TestClient) -> None:
    response = cors_client.options("/api/frontend", headers={"Origin": ALLOWED, **PREFLIGHT})
    assert response.status_code == 204
    assert response.content == b""
    assert cors_headers(response) == {
        "access-control-allow-origin": ALLOWED,
        "access-control-allow-credentials": "true",
        "access-control-allow-methods": "GET,HEAD,PUT,PATCH,POST,DELETE",
        "access-control-allow-headers": "authorization,content-type",
        "access-control-max-age": "86400",
        "access-control-expose-headers": "ETag",
    }
    assert response.headers["vary"] == "Origin, Access-Control-Request-Headers"


def test_cors__allowed_origin__every_frontend_answer_allows_it(cors_client: TestClient) -> None:
    flagkit.create_flag(cors_client, "on")
    flagkit.switch(cors_client, "on")
    expected = {
        "access-control-allow-origin": ALLOWED,
        "access-control-allow-credentials": "true",
        "access-control-expose-headers": "ETag",
    }
    origin = {"Origin": ALLOWED}
    answers = [
        cors_client.get("/api/frontend", headers={**FRONTEND, **origin}),
        cors_client.get("/api/frontend", headers={**FRONTEND, **origin}),  # hot path
        cors_client.post("/api/frontend", headers={**FRONTEND, **origin}, json={"context": {}}),
        cors_client.get("/api/frontend", headers=origin),  # 401
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 401]
    for answer in answers:
        assert cors_headers(answer) == expected
        assert "Origin" in answer.headers.get_list("vary")
    assert [t["name"] for t in answers[1].json()["toggles"]] == ["on"]


def test_cors__other_origin__no_allow_origin(cors_client: TestClient) -> None:
    preflight = cors_client.options("/api/frontend", headers={"Origin": OTHER, **PREFLIGHT})
    assert preflight.status_code == 204
    assert cors_headers(preflight) == {}
    for _ in range(2):
        response = cors_client.get("/api/frontend", headers={**FRONTEND, "Origin": OTHER})
        assert response.status_code == 200
        assert cors_headers(response) == {}


def test_cors__wildcard__any_origin_allowed(database_url: str) -> None:
    settings = make_settings(database_url, unleash_frontend_api_origins=["*"])
    with TestClient(create_app(settings)) as cors_client:
        preflight = cors_client.options("/api/frontend", headers={"Origin": OTHER, **PREFLIGHT})
        response = cors_client.get("/api/frontend", headers={**FRONTEND, "Origin": OTHER})
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert response.headers["access-control-allow-origin"] == "*"


def test_cors__other_apis__never_get_cors_headers(cors_client: TestClient) -> None:
    response = cors_client.get("/api/client/features", headers={**CLIENT, "Origin": ALLOWED})
    assert response.status_code == 200
    assert cors_headers(response) == {}
    preflight = cors_client.options(
        "/api/client/features", headers={"Origin": ALLOWED, **PREFLIGHT}
    )
    assert cors_headers(preflight) == {}
