"""Integrations' configurations: listed with 8.2's providers, created, read masked, updated
(masked values kept), deleted, refused as 8.2 refuses them; the expected bodies are the answers
the reference Unleash 8.2.0 gave (fixtures/)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from leash.app import create_app
from support import ADMIN

FIXTURES = Path(__file__).with_name("fixtures")
A = "/api/admin/addons"
PUBLIC = "https://93.184.216.34/x"


def _fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


ERRORS: dict[str, Any] = _fixture("errors.json")


def _body(response: Any) -> Any:
    """The answer without the per-request error id."""
    body = response.json()
    if isinstance(body, dict) and isinstance(body.get("id"), str):
        body.pop("id")
    return body


def _addon_events(client: TestClient) -> list[dict[str, Any]]:
    events = client.get("/api/admin/events", headers=ADMIN).json()["events"]
    return [
        {k: e[k] for k in ("type", "createdBy", "data", "preData", "project")}
        for e in events
        if e["type"].startswith("addon-config-")
    ]


def _without_created_at(body: Any) -> Any:
    return {k: v for k, v in body.items() if k != "createdAt"} if body else body


def test_get_addons__empty__recorded_providers(client: TestClient) -> None:
    response = client.get(A, headers=ADMIN)
    assert response.status_code == 200
    assert response.json() == _fixture("get_addons_empty.json")


def test_create_addon__webhook__201_unmasked_and_created_event(client: TestClient) -> None:
    body = {
        "provider": "webhook",
        "enabled": True,
        "parameters": {"url": PUBLIC, "authorization": "s3cret", "customHeaders": "{}", "n": 3},
        "events": ["feature-created"],
        "projects": ["default"],
        "environments": ["development"],
        "description": "d",
        "extra": 1,
    }
    response = client.post(A, headers=ADMIN, json=body)
    assert response.status_code == 201
    # 8.2 answers the stored addon unmasked and without createdAt.
    assert response.json() == {
        "id": 1,
        "provider": "webhook",
        "enabled": True,
        "description": "d",
        "parameters": {"url": PUBLIC, "authorization": "s3cret", "customHeaders": "{}", "n": 3},
        "events": ["feature-created"],
        "projects": ["default"],
        "environments": ["development"],
    }
    recorded = next(e for e in _fixture("addon_events.json")["events"] if e["id"] == 9)
    assert _addon_events(client) == [
        {
            "type": "addon-config-created",
            "createdBy": "admin",
            "data": {**recorded["data"], "id": 1},
            "preData": None,
            "project": None,
        }
    ]


def test_get_addon__sensitive_parameters__masked(client: TestClient) -> None:
    body = {
        "provider": "webhook",
        "enabled": True,
        "parameters": {"url": PUBLIC, "authorization": "s3cret", "customHeaders": "{}", "n": 3},
        "events": ["feature-created"],
        "projects": ["default"],
        "environments": ["development"],
        "description": "d",
    }
    client.post(A, headers=ADMIN, json=body)
    expected = {**_without_created_at(_fixture("get_addon_masked.json")), "id": 1}
    answer = client.get(f"{A}/1", headers=ADMIN).json()
    assert _without_created_at(answer) == expected
    assert answer["createdAt"].endswith("Z")
    listed = client.get(A, headers=ADMIN).json()["addons"]
    assert [_without_created_at(a) for a in listed] == [expected]


def test_update_addon__masked_values__kept_and_events(client: TestClient) -> None:
    body = {
        "provider": "webhook",
        "enabled": True,
        "parameters": {"url": PUBLIC, "authorization": "s3cret", "customHeaders": "{}"},
        "events": ["feature-created"],
        "projects": ["default"],
        "environments": ["development"],
        "description": "d",
    }
    client.post(A, headers=ADMIN, json=body)
    update = {
        "provider": "webhook",
        "enabled": False,
        "parameters": {"url": "*****", "authorization": "*****", "contentType": "text/plain"},
        "events": ["feature-updated"],
        "description": "e",
    }
    response = client.put(f"{A}/1", headers=ADMIN, json=update)
    assert response.status_code == 200
    assert _without_created_at(response.json()) == {
        "id": 1,
        "provider": "webhook",
        "enabled": False,
        "description": "e",
        "parameters": {"url": PUBLIC, "authorization": "s3cret", "contentType": "text/plain"},
        "events": ["feature-updated"],
        "projects": [],
        "environments": [],
    }
    recorded = next(e for e in _fixture("addon_events.json")["events"] if e["id"] == 10)
    created_at = response.json()["createdAt"]
    event = _addon_events(client)[0]
    assert event == {
        "type": "addon-config-updated",
        "createdBy": "admin",
        "data": {**recorded["data"], "id": 1, "createdAt": created_at},
        "preData": {**recorded["preData"], "id": 1, "createdAt": created_at},
        "project": None,
    }


def test_delete_addon__200_empty_and_deleted_event(client: TestClient) -> None:
    body = {"provider": "webhook", "enabled": True, "parameters": {"url": PUBLIC}, "events": []}
    client.post(A, headers=ADMIN, json=body)
    response = client.delete(f"{A}/1", headers=ADMIN)
    assert (response.status_code, response.content) == (200, b"")
    assert client.get(A, headers=ADMIN).json()["addons"] == []
    event = _addon_events(client)[0]
    assert event["type"] == "addon-config-deleted"
    assert event["data"] is None
    assert _without_created_at(event["preData"]) == {
        "id": 1,
        "provider": "webhook",
        "enabled": True,
        "description": None,
        "events": [],
        "projects": [],
        "environments": [],
    }


def test_create_addon__unknown_event_names__accepted_as_8_2(client: TestClient) -> None:
    body = {
        "provider": "webhook",
        "enabled": True,
        "parameters": {"url": PUBLIC},
        "events": ["no-such-event"],
    }
    response = client.post(A, headers=ADMIN, json=body)
    assert response.status_code == 201
    assert response.json()["events"] == ["no-such-event"]


@pytest.mark.parametrize("case", [k for k, v in ERRORS.items() if v["status"] != 200])
def test_addon_refusals__as_recorded(client: TestClient, case: str) -> None:
    recorded = ERRORS[case]
    request = recorded["request"]
    response = client.request(
        request["method"], A + request["path"], headers=ADMIN, json=request["body"]
    )
    assert (response.status_code, _body(response)) == (recorded["status"], recorded["body"])
    assert client.get(A, headers=ADMIN).json()["addons"] == []


def test_get_integration_events__unknown_id__empty_page(client: TestClient) -> None:
    recorded = ERRORS["events_unknown_id"]
    response = client.get(A + recorded["request"]["path"], headers=ADMIN)
    assert (response.status_code, response.json()) == (200, recorded["body"])


@pytest.mark.parametrize(
    "url", ["http://[::1]:9/x", "http://localhost.:9/", "http://192.168.1.1/", "http://0.0.0.0/"]
)
def test_create_addon__private_address__400(client: TestClient, url: str) -> None:
    body = {"provider": "webhook", "enabled": True, "parameters": {"url": url}, "events": []}
    response = client.post(A, headers=ADMIN, json=body)
    assert (response.status_code, _body(response)) == (400, ERRORS["loopback"]["body"])


@pytest.mark.parametrize(
    "url", ["not a url", "http://", "http://x:99999/", "https://" + "a" * 3000]
)
def test_create_addon__invalid_url__400_not_500(client: TestClient, url: str) -> None:
    body = {"provider": "webhook", "enabled": True, "parameters": {"url": url}, "events": []}
    response = client.post(A, headers=ADMIN, json=body)
    assert (response.status_code, _body(response)) == (400, ERRORS["loopback"]["body"])


def test_create_addon__private_url_allowed_by_setting__201(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import make_settings

    monkeypatch.setenv("LEASH_ADDONS_ALLOW_PRIVATE_URLS", "true")
    with TestClient(create_app(make_settings(database_url))) as client:
        body = {
            "provider": "webhook",
            "enabled": True,
            "parameters": {"url": "http://127.0.0.1:9/x"},
            "events": [],
        }
        assert client.post(A, headers=ADMIN, json=body).status_code == 201


def test_update_addon__private_url__400_unchanged(client: TestClient) -> None:
    body = {"provider": "webhook", "enabled": True, "parameters": {"url": PUBLIC}, "events": []}
    client.post(A, headers=ADMIN, json=body)
    bad = {**body, "parameters": {"url": "http://10.0.0.1/"}}
    response = client.put(f"{A}/1", headers=ADMIN, json=bad)
    assert (response.status_code, _body(response)) == (400, ERRORS["loopback"]["body"])
    assert client.get(A, headers=ADMIN).json()["addons"][0]["enabled"] is True
    assert [e["type"] for e in _addon_events(client)] == ["addon-config-created"]


def test_get_addon__id_not_a_number__404(client: TestClient) -> None:
    # 8.2 answers a 500 (its SQL fails); leash answers its not-found body.
    response = client.get(f"{A}/abc", headers=ADMIN)
    assert (response.status_code, response.json()) == (404, ERRORS["get_unknown"]["body"])
