"""GET/POST /api/frontend, its metrics and register endpoints, and token scope. Expected bodies
are Unleash 7.5.1's (tests/client_api/reference_answers.json)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

import flagkit
from flagkit import normalise, reference
from support import ADMIN, CLIENT, FRONTEND, add_project

FRONTEND_PATH = "/api/frontend"
DISABLED_VARIANT = {
    "name": "disabled",
    "enabled": False,
    "feature_enabled": True,
    "featureEnabled": True,
}


def toggles(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["toggles"]
    return found


def toggle_names(response: Any) -> list[str]:
    return sorted(toggle["name"] for toggle in toggles(response))


def test_frontend_get__query_context_matches_segment__toggle_as_reference(
    client: TestClient,
) -> None:
    flagkit.reference_flag(client)
    for _ in range(2):  # the first request builds the compiled state, the second reuses it
        response = client.get(
            FRONTEND_PATH,
            params={"userId": "alice", "properties[appVersion]": "2.0.0"},
            headers=FRONTEND,
        )
        expected = reference("frontend_get_alice")
        assert (response.status_code, response.headers["content-type"]) == (
            expected["status"],
            expected["content_type"],
        )
        assert response.headers["cache-control"] == "no-cache"
        assert response.json() == expected["body"]


def test_frontend_get__unknown_query_key__read_as_a_property(client: TestClient) -> None:
    flagkit.reference_flag(client)
    alice = client.get(
        FRONTEND_PATH, params={"userId": "alice", "appVersion": "2.0.0"}, headers=FRONTEND
    )
    assert alice.json() == reference("frontend_get_alice")["body"]
    carol = client.get(
        FRONTEND_PATH, params={"userId": "carol", "appVersion": "2.0.0"}, headers=FRONTEND
    )
    assert carol.json() == reference("frontend_get_carol")["body"] == {"toggles": []}
    old_app = client.get(
        FRONTEND_PATH, params={"userId": "alice", "appVersion": "0.9.0"}, headers=FRONTEND
    )
    assert toggles(old_app) == []


def test_frontend_post__context_with_properties__toggle_as_reference(client: TestClient) -> None:
    flagkit.reference_flag(client)
    response = client.post(
        FRONTEND_PATH,
        headers=FRONTEND,
        json={"context": {"userId": "bob", "properties": {"appVersion": "1.5.0"}}},
    )
    assert response.json() == reference("frontend_post_bob")["body"]
    assert response.headers["cache-control"] == "no-cache"
    top_level = client.post(
        FRONTEND_PATH, headers=FRONTEND, json={"context": {"userId": "bob", "appVersion": "1.5.0"}}
    )
    assert top_level.json() == reference("frontend_post_bob")["body"]


def test_frontend_post__no_context__evaluated_with_defaults_as_reference(
    client: TestClient,
) -> None:
    flagkit.reference_flag(client)
    response = client.post(FRONTEND_PATH, headers=FRONTEND, json={})
    assert response.json() == reference("frontend_post_empty")["body"] == {"toggles": []}


def test_frontend__only_enabled_flags__with_disabled_variant_when_none(client: TestClient) -> None:
    flagkit.create_flag(client, "on-no-strategy")
    flagkit.switch(client, "on-no-strategy")
    flagkit.create_flag(client, "off-flag")
    flagkit.add_strategy(client, "off-flag")
    flagkit.create_flag(client, "on-for-u1")
    flagkit.add_strategy(
        client,
        "on-for-u1",
        constraints=[{"contextName": "userId", "operator": "IN", "values": ["u1"]}],
    )
    flagkit.switch(client, "on-for-u1")
    u1 = toggles(client.get(FRONTEND_PATH, params={"userId": "u1"}, headers=FRONTEND))
    assert u1 == [
        {
            "name": "on-for-u1",
            "enabled": True,
            "variant": DISABLED_VARIANT,
            "impressionData": False,
        },
        {
            "name": "on-no-strategy",
            "enabled": True,
            "variant": DISABLED_VARIANT,
            "impressionData": False,
        },
    ]
    u2 = client.get(FRONTEND_PATH, params={"userId": "u2"}, headers=FRONTEND)
    assert toggle_names(u2) == ["on-no-strategy"]


def test_frontend__strategy_variants_split__each_user_gets_a_sticky_variant(
    client: TestClient,
) -> None:
    flagkit.create_flag(client, "split")
    variants = [
        {"name": name, "weight": 500, "weightType": "variable", "stickiness": "default"}
        for name in ("left", "right")
    ]
    flagkit.add_strategy(client, "split", variants=variants)
    flagkit.switch(client, "split")
    seen = {}
    for user in ("a", "b", "c", "d", "e", "f", "g", "h"):
        first = toggles(client.get(FRONTEND_PATH, params={"userId": user}, headers=FRONTEND))
        again = toggles(
            client.post(FRONTEND_PATH, headers=FRONTEND, json={"context": {"userId": user}})
        )
        assert first == again
        variant = first[0]["variant"]
        assert (variant["enabled"], variant["feature_enabled"], variant["featureEnabled"]) == (
            True,
            True,
            True,
        )
        seen[user] = variant["name"]
    assert set(seen.values()) == {"left", "right"}


def test_frontend__project_token__only_its_projects_flags(client: TestClient) -> None:
    add_project(client.app.state.db, "alpha")  # type: ignore[attr-defined]
    for name, project in (("in-alpha", "alpha"), ("in-default", "default")):
        flagkit.create_flag(client, name, project=project)
        flagkit.switch(client, name, project=project)
    alpha = {
        "Authorization": flagkit.create_token(
            client, type="frontend", projects=["alpha"], environment="development"
        )
    }
    assert toggle_names(client.get(FRONTEND_PATH, headers=alpha)) == ["in-alpha"]
    assert toggle_names(client.post(FRONTEND_PATH, headers=alpha, json={})) == ["in-alpha"]
    assert toggle_names(client.get(FRONTEND_PATH, headers=FRONTEND)) == ["in-alpha", "in-default"]


def test_frontend__production_token__production_state_whatever_the_context(
    client: TestClient,
) -> None:
    flagkit.create_flag(client, "prod-on")
    flagkit.switch(client, "prod-on", environment="production")
    flagkit.create_flag(client, "dev-on")
    flagkit.switch(client, "dev-on")
    production = {
        "Authorization": flagkit.create_token(
            client, type="frontend", projects=["*"], environment="production"
        )
    }
    response = client.get(FRONTEND_PATH, params={"environment": "development"}, headers=production)
    assert toggle_names(response) == ["prod-on"]
    assert toggle_names(client.get(FRONTEND_PATH, headers=FRONTEND)) == ["dev-on"]


def test_frontend__change_through_admin_api__next_request_sees_it(client: TestClient) -> None:
    flagkit.create_flag(client, "flips")
    flagkit.switch(client, "flips")
    assert toggle_names(client.get(FRONTEND_PATH, headers=FRONTEND)) == ["flips"]
    flagkit.switch(client, "flips", on=False)
    assert toggle_names(client.get(FRONTEND_PATH, headers=FRONTEND)) == []


TOKEN_REQUIRED = reference("frontend_no_token")["body"]
WRONG_TYPE = reference("frontend_client_token")["body"]


@pytest.mark.parametrize(
    ("headers", "status", "body"),
    [
        ({}, 401, TOKEN_REQUIRED),
        ({"Authorization": "nope"}, 401, TOKEN_REQUIRED),
        (CLIENT, 403, WRONG_TYPE),
        # Unleash 8.x (and leash) refuse admin tokens here; 7.5.1 still answered them.
        (ADMIN, 403, WRONG_TYPE),
    ],
)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_frontend__not_a_frontend_token__status_and_body_as_reference(
    client: TestClient, headers: dict[str, str], status: int, body: dict[str, str], method: str
) -> None:
    for _ in range(2):  # also once the token cache and compiled state are warm
        response = client.request(
            method, FRONTEND_PATH, headers=headers, json={} if method == "POST" else None
        )
        assert (response.status_code, response.json()) == (status, body)
        client.get(FRONTEND_PATH, headers=FRONTEND)


def test_frontend_post__context_not_an_object__400(client: TestClient) -> None:
    response = client.post(FRONTEND_PATH, headers=FRONTEND, json={"context": "x"})
    assert response.status_code == 400
    assert response.json()["details"] == [
        {
            "message": 'The `/body/context` property must be object. You sent "x".',
            "path": "/body/context",
        }
    ]


@pytest.mark.parametrize("path", ["/client/features", "/health", "/internal-backstage/prometheus"])
def test_frontend__backend_only_endpoints__405_not_implemented(
    client: TestClient, path: str
) -> None:
    response = client.get(FRONTEND_PATH + path, headers=FRONTEND)
    assert response.status_code == 405
    body = response.json()
    assert normalise(body) == {
        "id": "<uuid>",
        "name": "NotImplementedError",
        "message": "The frontend API does not support this endpoint.",
        "details": [{"message": "The frontend API does not support this endpoint."}],
    }
    assert client.get(FRONTEND_PATH + path).status_code == 401


def metrics_report(app_name: str = "cq-web") -> dict[str, Any]:
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return {
        "appName": app_name,
        "instanceId": "b1",
        "bucket": {"start": now, "stop": now, "toggles": {"cq-seg-flag": {"yes": 2, "no": 5}}},
    }


def test_frontend_metrics__valid_report__200_ok_text_and_counted(client: TestClient) -> None:
    flagkit.reference_flag(client)
    response = client.post("/api/frontend/client/metrics", headers=FRONTEND, json=metrics_report())
    expected = reference("frontend_metrics_ok")
    assert (response.status_code, response.headers["content-type"], response.text) == (
        expected["status"],
        expected["content_type"],
        expected["body"],
    )
    usage = client.get("/api/admin/client-metrics/features/cq-seg-flag", headers=ADMIN).json()
    assert [(u["environment"], u["yes"], u["no"]) for u in usage["lastHourUsage"]] == [
        ("development", 2, 5)
    ]
    assert usage["seenApplications"] == ["cq-web"]


def test_frontend_metrics__no_app_name__400_as_reference(client: TestClient) -> None:
    response = client.post("/api/frontend/client/metrics", headers=FRONTEND, json={"bucket": {}})
    assert response.status_code == 400
    assert normalise(response.json()) == reference("frontend_metrics_bad")["body"]


def test_frontend_register__valid_body__200_ok_text(client: TestClient) -> None:
    body = {
        "appName": "cq-web",
        "instanceId": "b1",
        "started": "2026-11-23T17:00:00.000Z",
        "interval": 10000,
        "strategies": [],
    }
    response = client.post("/api/frontend/client/register", headers=FRONTEND, json=body)
    expected = reference("frontend_register_ok")
    assert (response.status_code, response.headers["content-type"], response.text) == (
        expected["status"],
        expected["content_type"],
        expected["body"],
    )


def test_frontend_register__missing_app_name__400_as_reference(client: TestClient) -> None:
    response = client.post("/api/frontend/client/register", headers=FRONTEND, json={"x": 1})
    assert response.status_code == 400
    assert normalise(response.json()) == reference("frontend_register_bad")["body"]


@pytest.mark.parametrize("path", ["/client/metrics", "/client/register"])
def test_frontend_metrics_and_register__client_token__403(client: TestClient, path: str) -> None:
    response = client.post(FRONTEND_PATH + path, headers=CLIENT, json=metrics_report())
    assert (response.status_code, response.json()) == (403, WRONG_TYPE)


def test_frontend_metrics__count_beyond_safe_integer__400_as_reference_and_nothing_stored(
    client: TestClient,
) -> None:
    flagkit.reference_flag(client)
    report = metrics_report()
    report["bucket"]["toggles"]["cq-seg-flag"]["yes"] = 10**20
    response = client.post("/api/frontend/client/metrics", headers=FRONTEND, json=report)
    assert response.status_code == 400
    assert response.json() == reference("frontend_metrics_unsafe_count")["body"]
    usage = client.get("/api/admin/client-metrics/features/cq-seg-flag", headers=ADMIN).json()
    assert usage["lastHourUsage"] == []


def test_frontend__current_time_in_request__ignored_dates_use_server_clock(
    client: TestClient,
) -> None:
    # Unleash 7.5.1 answered all three requests below without the flag: the request's
    # currentTime becomes a property and DATE_* constraints compare with the server's time.
    flagkit.create_flag(client, "cq-date")
    before_2000 = {
        "contextName": "currentTime",
        "operator": "DATE_BEFORE",
        "value": "2000-01-01T00:00:00.000Z",
    }
    flagkit.add_strategy(
        client, "cq-date", name="default", parameters={}, constraints=[before_2000]
    )
    flagkit.switch(client, "cq-date")
    flagkit.create_flag(client, "cq-after-2000")
    after_2000 = {**before_2000, "operator": "DATE_AFTER"}
    flagkit.add_strategy(
        client, "cq-after-2000", name="default", parameters={}, constraints=[after_2000]
    )
    flagkit.switch(client, "cq-after-2000")
    old = "1999-01-01T00:00:00.000Z"
    answers = [
        client.get(FRONTEND_PATH, params={"currentTime": old}, headers=FRONTEND),
        client.get(FRONTEND_PATH, params={"currentTime": old}, headers=FRONTEND),  # hot path
        client.post(FRONTEND_PATH, headers=FRONTEND, json={"context": {"currentTime": old}}),
        client.post(
            FRONTEND_PATH, headers=FRONTEND, json={"context": {"properties": {"currentTime": old}}}
        ),
    ]
    assert [toggle_names(answer) for answer in answers] == [["cq-after-2000"]] * 4


def test_frontend__property_given_twice__properties_win_over_unknown_keys(
    client: TestClient,
) -> None:
    # As Unleash 7.5.1 answered: `properties[country]` beats `country`, in either order.
    flagkit.create_flag(client, "cq-country")
    norway = [{"contextName": "country", "operator": "IN", "values": ["NO"]}]
    flagkit.add_strategy(client, "cq-country", name="default", parameters={}, constraints=norway)
    flagkit.switch(client, "cq-country")
    queries = [
        ("country=SE&properties%5Bcountry%5D=NO", ["cq-country"]),
        ("properties%5Bcountry%5D=NO&country=SE", ["cq-country"]),
        ("country=NO&properties%5Bcountry%5D=SE", []),
    ]
    for query, expected in queries:
        assert toggle_names(client.get(f"{FRONTEND_PATH}?{query}", headers=FRONTEND)) == expected
    bodies = [
        ({"country": "SE", "properties": {"country": "NO"}}, ["cq-country"]),
        ({"country": "NO", "properties": {"country": "SE"}}, []),
    ]
    for context, expected in bodies:
        response = client.post(FRONTEND_PATH, headers=FRONTEND, json={"context": context})
        assert toggle_names(response) == expected


def test_frontend__empty_remote_address__the_callers_address_instead(client: TestClient) -> None:
    # Unleash fills remoteAddress with `given || request ip`; TestClient's address is "testclient".
    flagkit.create_flag(client, "cq-local")
    local = [{"contextName": "remoteAddress", "operator": "IN", "values": ["testclient"]}]
    flagkit.add_strategy(client, "cq-local", name="default", parameters={}, constraints=local)
    flagkit.switch(client, "cq-local")
    assert toggle_names(client.get(f"{FRONTEND_PATH}?remoteAddress=", headers=FRONTEND)) == [
        "cq-local"
    ]
    assert (
        toggle_names(client.get(f"{FRONTEND_PATH}?remoteAddress=10.0.0.1", headers=FRONTEND)) == []
    )
    body = {"context": {"remoteAddress": ""}}
    assert toggle_names(client.post(FRONTEND_PATH, headers=FRONTEND, json=body)) == ["cq-local"]


def test_frontend_post__not_json__415_as_reference(client: TestClient) -> None:
    response = client.post(
        FRONTEND_PATH,
        headers={**FRONTEND, "Content-Type": "application/x-www-form-urlencoded"},
        content=b'{"context":{"userId":"alice"}}',
    )
    assert response.status_code == 415
    message = (
        "We do not accept the content-type you provided (application/x-www-form-urlencoded). "
        "Try using one of the content-types we do accept instead (application/json) and make "
        "sure the body is in the corresponding format."
    )
    assert normalise(response.json()) == {
        "id": "<uuid>",
        "name": "ContentTypeError",
        "message": message,
        "details": [{"message": message}],
    }
