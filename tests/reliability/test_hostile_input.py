"""Hostile input gets a clear 4xx in Unleash's error body and changes nothing, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from conftest import make_settings
from leash.app import create_app
from leash.config import Settings
from leash.limits import RateLimiter
from support import ADMIN, BAD_DATA_LIST, CLIENT, FRONTEND, answered_within

JSON = {**ADMIN, "Content-Type": "application/json"}


def _segments(client: TestClient) -> list[Any]:
    segments: list[Any] = client.get("/api/admin/segments", headers=ADMIN).json()["segments"]
    return segments


def _events(client: TestClient) -> int:
    return len(client.get("/api/admin/events", headers=ADMIN).json()["events"])


def test_create_segment__nul_in_name__400_nothing_stored(client: TestClient) -> None:
    before = _events(client)
    body = '{"name": "a\\u0000b", "constraints": []}'
    response = client.post("/api/admin/segments", content=body, headers=JSON)
    assert response.status_code == 400
    error = response.json()
    message = (
        "The `/body/name` property must not contain the NUL character (\\u0000): "
        "PostgreSQL cannot store it."
    )
    assert error["name"] == "BadDataError"
    assert error["details"] == [{"message": message, "path": "/body/name"}]
    assert _segments(client) == []
    assert _events(client) == before


def test_create_flag__nul_in_nested_key__400_nothing_stored(client: TestClient) -> None:
    body = '{"name": "f", "tags": [{"type": "simple", "value": "ok", "x\\u0000": 1}]}'
    response = client.post("/api/admin/projects/default/features", content=body, headers=JSON)
    assert response.status_code == 400
    assert response.json()["name"] == "BadDataError"
    assert client.get("/api/admin/projects/default/features/f", headers=ADMIN).status_code == 404


def test_event_search__nul_in_query__400_on_postgres_not_500(
    client: TestClient, database_url: str
) -> None:
    response = client.get("/api/admin/events", params={"project": "a\x00b"}, headers=ADMIN)
    if database_url.startswith("sqlite"):
        # SQLite stores and compares NUL like any character: nothing matches.
        assert response.status_code == 200
        assert response.json()["events"] == []
        return
    assert response.status_code == 400
    assert response.json()["details"] == [
        {"message": "The request contains a value the database cannot store."}
    ]


# --- body size ---


def test_create_segment__body_over_100kb__413_nothing_stored(client: TestClient) -> None:
    body = {"name": "big", "constraints": [], "description": "x" * (100 * 1024)}
    response = client.post("/api/admin/segments", json=body, headers=ADMIN)
    assert response.status_code == 413
    error = response.json()
    message = "Request entity too large: the body is larger than 102400 bytes."
    assert isinstance(error.pop("id"), str)
    assert error == {
        "name": "PayloadTooLargeError",
        "message": message,
        "details": [{"message": message}],
    }
    assert _segments(client) == []


def test_create_segment__chunked_body_over_limit__413_nothing_stored(client: TestClient) -> None:
    # No Content-Length: the limit is counted while the body arrives.
    chunks = [b'{"name": "big", "constraints": [], "description": "', b"x" * 110_000, b'"}']
    response = client.post("/api/admin/segments", content=iter(chunks), headers=JSON)
    assert response.status_code == 413
    assert response.json()["name"] == "PayloadTooLargeError"
    assert _segments(client) == []


def test_body_limit__configured__applies(database_url: str) -> None:
    settings = make_settings(database_url, leash_max_body_bytes=200)
    with TestClient(create_app(settings)) as client:
        over = {"name": "s", "constraints": [], "description": "x" * 200}
        assert client.post("/api/admin/segments", json=over, headers=ADMIN).status_code == 413
        under = {"name": "s", "constraints": []}
        assert client.post("/api/admin/segments", json=under, headers=ADMIN).status_code == 201


def test_body_limit__default_is_express_json_100kb() -> None:
    assert Settings().leash_max_body_bytes == 102_400


# --- malformed and deep JSON ---


def test_create_segment__json_nested_past_orjson_limit__400(client: TestClient) -> None:
    body = b"[" * 5000 + b"]" * 5000
    response = client.post("/api/admin/segments", content=body, headers=JSON)
    assert response.status_code == 400
    assert response.json()["details"] == [
        {"message": "The request body is not valid JSON: depth limit exceeded."}
    ]
    assert _segments(client) == []


NESTING = {
    "message": "The request body nests arrays and objects more than 128 levels deep, which "
    "leash does not accept.",
    "path": "/body",
}


def _bad_data(response: Any, *details: dict[str, str]) -> None:
    assert response.status_code == 400
    body = response.json()
    assert isinstance(body.pop("id"), str)
    assert body == {"name": "BadDataError", "message": BAD_DATA_LIST, "details": list(details)}


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_frontend_post__property_nested_1000_deep__400_nesting_bound(client: TestClient) -> None:
    # Unleash answers 200 (the value is ignored); leash refuses what its engine, JSON writer
    # and Python's recursion cannot carry, instead of a 500 from deep inside.
    for body in (
        '{"userId": "u", "properties": {"deep": ' + _nested(1000) + "}}",
        '{"context": {"x": ' + _nested(1000) + "}}",
    ):
        response = client.post(
            "/api/frontend", content=body, headers={**FRONTEND, "Content-Type": "application/json"}
        )
        _bad_data(response, NESTING)


def test_frontend_post__array_nested_1000_deep__400_as_unleash(client: TestClient) -> None:
    nested = _nested(1000)
    response = client.post(
        "/api/frontend", content=nested, headers={**FRONTEND, "Content-Type": "application/json"}
    )
    message = f"The `/body` property must be object. You sent {nested}."
    _bad_data(response, {"message": message, "path": "/body"})


def test_client_register__strategies_nested_300_deep__400_as_unleash(client: TestClient) -> None:
    nested = _nested(299)
    body = (
        '{"appName": "a", "interval": 1, "started": "2024-01-01T00:00:00Z", "strategies": ['
        + nested
        + "]}"
    )
    response = client.post(
        "/api/client/register", content=body, headers={**CLIENT, "Content-Type": "application/json"}
    )
    message = f"The `/body/strategies/0` property must be string. You sent {nested}."
    _bad_data(response, {"message": message, "path": "/body/strategies/0"})


def test_playground__context_value_nested_300_deep__400_nesting_bound(client: TestClient) -> None:
    body = (
        '{"environment": "development", "context": {"appName": "a", "x": ' + _nested(300) + "}}"
    )
    response = client.post("/api/admin/playground", content=body, headers=JSON)
    _bad_data(response, NESTING)


def test_create_segment__constraints_nested_300_deep__400_as_unleash(client: TestClient) -> None:
    nested = _nested(299)
    body = '{"name": "s", "constraints": [' + nested + "]}"
    response = client.post("/api/admin/segments", content=body, headers=JSON)
    message = f"The `/body/constraints/0` property must be object. You sent {nested}."
    _bad_data(response, {"message": message, "path": "/body/constraints/0"})
    assert _segments(client) == []


def test_create_segment__extra_value_nested_300_deep__400_nothing_stored(
    client: TestClient,
) -> None:
    body = '{"name": "s", "constraints": [], "x": ' + _nested(300) + "}"
    response = client.post("/api/admin/segments", content=body, headers=JSON)
    _bad_data(response, NESTING)
    assert _segments(client) == []


def test_patch_flag__value_nested_300_deep__400_unchanged(client: TestClient) -> None:
    client.post("/api/admin/projects/default/features", json={"name": "f"}, headers=ADMIN)
    body = '[{"op": "replace", "path": "/description", "value": ' + _nested(300) + "}]"
    response = client.patch("/api/admin/projects/default/features/f", content=body, headers=JSON)
    _bad_data(response, NESTING)
    flag = client.get("/api/admin/projects/default/features/f", headers=ADMIN).json()
    assert flag["description"] is None


# --- integers beyond what the databases store ---

STRATEGIES = "/api/admin/projects/default/features/f/environments/development/strategies"


@pytest.mark.parametrize(
    ("sort_order", "shown", "bound"),
    [
        ("1e300", "1e+300", "<= 2147483647"),
        # JavaScript reads and prints it as a double, as Unleash would.
        ("9223372036854775807", "9223372036854776000", "<= 2147483647"),
        ("2147483648", "2147483648", "<= 2147483647"),
        ("-2147483649", "-2147483649", ">= -2147483648"),
    ],
)
def test_add_strategy__sort_order_beyond_32_bits__400_and_the_flag_still_takes_changes(
    client: TestClient, sort_order: str, shown: str, bound: str
) -> None:
    # Unleash answers 500 (PostgreSQL refuses the value); leash stored near 2**63 on SQLite,
    # and every later add (max + 1) and toggle of the flag then failed.
    client.post("/api/admin/projects/default/features", json={"name": "f"}, headers=ADMIN)
    body = '{"name": "default", "sortOrder": ' + sort_order + "}"
    response = client.post(STRATEGIES, content=body, headers=JSON)
    message = f"The `/body/sortOrder` property must be {bound}. You sent {shown}."
    _bad_data(response, {"message": message, "path": "/body/sortOrder"})
    assert client.get(STRATEGIES, headers=ADMIN).json() == []
    added = client.post(STRATEGIES, json={"name": "default"}, headers=ADMIN)
    assert (added.status_code, added.json()["sortOrder"]) == (200, 0)
    toggle = "/api/admin/projects/default/features/f/environments/development/on"
    assert client.post(toggle, headers=ADMIN).status_code == 200


def test_update_strategy__sort_order_1e300__400_unchanged(client: TestClient) -> None:
    client.post("/api/admin/projects/default/features", json={"name": "f"}, headers=ADMIN)
    created = client.post(STRATEGIES, json={"name": "default"}, headers=ADMIN).json()
    response = client.put(
        f"{STRATEGIES}/{created['id']}",
        content='{"name": "flexibleRollout", "sortOrder": 1e300}',
        headers=JSON,
    )
    message = "The `/body/sortOrder` property must be <= 2147483647. You sent 1e+300."
    _bad_data(response, {"message": message, "path": "/body/sortOrder"})
    stored = client.get(f"{STRATEGIES}/{created['id']}", headers=ADMIN).json()
    assert stored["name"] == "default"


# --- patterns that backtracked in Python's re ---


def test_client_features__long_tag_without_colon__400_promptly(client: TestClient) -> None:
    # /\w+:.+/ retried from every start of a run of word characters: 65,000 of them took
    # Python's re over ten seconds; RE2 is linear.
    tag = "a" * 65_000
    response = answered_within(
        5, lambda: client.get(f"/api/client/features?tag={tag}", headers=CLIENT)
    )
    assert response.status_code == 400
    message = f'"tag[0]" with value "{tag}" fails to match the tag pattern. You provided "{tag}".'
    assert response.json()["details"] == [{"message": message}]


def test_create_segment__invalid_utf8__400_nothing_stored(client: TestClient) -> None:
    body = b'{"name": "\xff\xfe", "constraints": []}'
    response = client.post("/api/admin/segments", content=body, headers=JSON)
    assert response.status_code == 400
    message = response.json()["details"][0]["message"]
    assert message.startswith("The request body is not valid JSON: ")
    assert "UTF-8" in message
    assert _segments(client) == []


def test_create_segment__many_constraint_values_under_body_limit__400_values_limit(
    client: TestClient,
) -> None:
    values = [str(i) for i in range(5000)]
    constraint = {"contextName": "userId", "operator": "IN", "values": values}
    body = {"name": "wide", "constraints": [constraint]}
    response = client.post("/api/admin/segments", json=body, headers=ADMIN)
    assert response.status_code == 400
    assert response.json()["name"] == "BadDataError"
    assert _segments(client) == []


# --- headers ---


def test_admin_request__huge_header_value__431(client: TestClient) -> None:
    response = client.get("/api/admin/segments", headers={**ADMIN, "X-Filler": "a" * 20_000})
    assert response.status_code == 431
    error = response.json()
    assert error["name"] == "RequestHeaderFieldsTooLargeError"
    assert error["message"] == "Request header fields are larger than 16384 bytes in all."


def test_client_features__huge_header_value__431_not_served_from_memory(
    client: TestClient,
) -> None:
    assert client.get("/api/client/features", headers=CLIENT).status_code == 200
    response = client.get("/api/client/features", headers={**CLIENT, "X-Filler": "a" * 20_000})
    assert response.status_code == 431


def test_admin_request__huge_authorization_value__431(client: TestClient) -> None:
    response = client.get("/api/admin/segments", headers={"Authorization": "x" * 100_000})
    assert response.status_code == 431


# --- quotes and SQL in names ---

SQL_NAME = "x'); DROP TABLE segments; -- \" `OR 1=1`"


def test_create_segment__name_of_quotes_and_sql__stored_verbatim(client: TestClient) -> None:
    body = {"name": SQL_NAME, "description": "'\"\\", "constraints": []}
    response = client.post("/api/admin/segments", json=body, headers=ADMIN)
    assert response.status_code == 201
    segment_id = response.json()["id"]
    stored = client.get(f"/api/admin/segments/{segment_id}", headers=ADMIN).json()
    assert (stored["name"], stored["description"]) == (SQL_NAME, "'\"\\")
    assert [s["name"] for s in _segments(client)] == [SQL_NAME]


def test_create_flag__name_of_quotes_and_sql__400_nothing_stored(client: TestClient) -> None:
    before = _events(client)
    response = client.post(
        "/api/admin/projects/default/features", json={"name": SQL_NAME}, headers=ADMIN
    )
    assert response.status_code == 400
    assert response.json()["name"] == "BadDataError"
    listed = client.get("/api/admin/projects/default/features", headers=ADMIN).json()
    assert listed["features"] == []
    assert _events(client) == before


def test_event_search__sql_in_query__200_nothing_found(client: TestClient) -> None:
    response = client.get(
        "/api/admin/events", params={"project": "default' OR '1'='1"}, headers=ADMIN
    )
    assert response.status_code == 200
    assert response.json()["events"] == []


# --- rate limits (Unleash's metricsRateLimiting) ---

REGISTRATION = {
    "appName": "app",
    "instanceId": "i",
    "interval": 10000,
    "started": "2024-01-01T00:00:00Z",
    "strategies": ["default"],
}


def _report(yes: int) -> dict[str, Any]:
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    bucket = {"start": now, "stop": now}
    return {"appName": "app", "bucket": {**bucket, "toggles": {"f": {"yes": yes, "no": 0}}}}


def test_client_register__over_limit__429_as_express_rate_limit(database_url: str) -> None:
    settings = make_settings(database_url, client_register_max_per_minute=2)
    with TestClient(create_app(settings)) as client:
        first = client.post("/api/client/register", json=REGISTRATION, headers=CLIENT)
        assert first.status_code == 202
        assert first.headers["RateLimit-Policy"] == "2;w=60"
        assert first.headers["RateLimit-Remaining"] == "1"
        assert client.post("/api/client/register", json=REGISTRATION, headers=CLIENT).is_success
        third = client.post("/api/client/register", json=REGISTRATION, headers=CLIENT)
    assert third.status_code == 429
    assert third.text == "Too many requests, please try again later."
    assert third.headers["content-type"] == "text/html; charset=utf-8"
    assert third.headers["RateLimit-Remaining"] == "0"
    assert 1 <= int(third.headers["Retry-After"]) <= 60


def test_client_register__invalid_bodies__not_counted(database_url: str) -> None:
    settings = make_settings(database_url, client_register_max_per_minute=1)
    with TestClient(create_app(settings)) as client:
        for _ in range(3):
            bad = client.post("/api/client/register", json={"appName": ""}, headers=CLIENT)
            assert bad.status_code == 400
        good = client.post("/api/client/register", json=REGISTRATION, headers=CLIENT)
    assert good.status_code == 202


def test_client_metrics__over_limit__429_and_report_not_recorded(database_url: str) -> None:
    settings = make_settings(database_url, client_metrics_max_per_minute=1)
    with TestClient(create_app(settings)) as client:
        client.post("/api/admin/projects/default/features", json={"name": "f"}, headers=ADMIN)
        assert client.post("/api/client/metrics", json=_report(3), headers=CLIENT).is_success
        refused = client.post("/api/client/metrics", json=_report(5), headers=CLIENT)
        summary = client.get("/api/admin/client-metrics/features/f", headers=ADMIN).json()
    assert refused.status_code == 429
    assert sum(hour["yes"] for hour in summary["lastHourUsage"]) == 3


def test_frontend_metrics_and_register__over_limit__429(database_url: str) -> None:
    settings = make_settings(
        database_url, frontend_metrics_max_per_minute=1, frontend_register_max_per_minute=1
    )
    with TestClient(create_app(settings)) as client:
        for path, body in (
            ("/api/frontend/client/metrics", _report(1)),
            ("/api/frontend/client/register", REGISTRATION),
        ):
            assert client.post(path, json=body, headers=FRONTEND).status_code == 200
            assert client.post(path, json=body, headers=FRONTEND).status_code == 429


def test_rate_limits__unleash_variable_names__swapped_as_unleash_reads_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REGISTER_CLIENT_RATE_LIMIT_PER_MINUTE", "7")
    monkeypatch.setenv("CLIENT_METRICS_RATE_LIMIT_PER_MINUTE", "8")
    monkeypatch.setenv("FRONTEND_METRICS_RATE_LIMIT_PER_MINUTE", "9")
    monkeypatch.setenv("REGISTER_FRONTEND_RATE_LIMIT_PER_MINUTE", "10")
    settings = Settings()
    assert settings.client_metrics_max_per_minute == 7
    assert settings.client_register_max_per_minute == 8
    assert settings.frontend_metrics_max_per_minute == 9
    assert settings.frontend_register_max_per_minute == 10


def test_rate_limits__default_6000_a_minute() -> None:
    settings = Settings()
    assert settings.client_register_max_per_minute == 6000
    assert settings.client_metrics_max_per_minute == 6000
    assert settings.frontend_register_max_per_minute == 6000
    assert settings.frontend_metrics_max_per_minute == 6000


def test_rate_limiter__window_over__counts_again() -> None:
    now = [100.0]
    limiter = RateLimiter(limit=1, window_seconds=60.0, clock=lambda: now[0])
    assert limiter.hit("10.0.0.1").allowed
    assert not limiter.hit("10.0.0.1").allowed
    assert limiter.hit("10.0.0.2").allowed
    now[0] = 160.0
    decision = limiter.hit("10.0.0.1")
    assert decision.allowed
    assert decision.headers["RateLimit-Reset"] == "60"
