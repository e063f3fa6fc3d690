"""Webhook deliveries against a local HTTP server (private URLs allowed by the setting): the
event JSON or the rendered bodyTemplate POSTed with Unleash's headers, retries, integration
events worded as 8.2's, filters, and writes that never wait for a delivery. Tests wait on the
delivery queue (`join`) or on threading.Events, never on time."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient

import flagkit
from conftest import make_settings
from leash.addons.webhook import Sender
from leash.app import create_app
from support import ADMIN

A = "/api/admin/addons"


@dataclass
class Target:
    """A webhook receiver: answers `statuses` in turn (then 200), optionally holding each
    request until `release` is set."""

    statuses: list[int] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    entered: threading.Event = field(default_factory=threading.Event)
    release: threading.Event | None = None
    url: str = ""


def _serve(target: Target) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode()
            target.requests.append(
                {"path": self.path, "headers": dict(self.headers.items()), "body": body}
            )
            target.entered.set()
            if target.release is not None:
                target.release.wait()
            status = target.statuses.pop(0) if target.statuses else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    target.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    return server


@pytest.fixture
def target() -> Iterator[Target]:
    found = Target()
    server = _serve(found)
    yield found
    if found.release is not None:
        found.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def app_client(database_url: str) -> Iterator[TestClient]:
    settings = make_settings(database_url, unleash_allow_private_url_in_integration=True)
    with TestClient(create_app(settings)) as client:
        # No waiting between attempts in tests: the retries, not their pacing, are checked.
        client.app.state.addon_deliveries.sender.backoff = 0.0  # type: ignore[attr-defined]
        yield client


def _deliveries(client: TestClient) -> Any:
    return client.app.state.addon_deliveries  # type: ignore[attr-defined]


def _webhook(client: TestClient, **parameters: Any) -> int:
    body = {
        "provider": "webhook",
        "enabled": True,
        "parameters": parameters,
        "events": parameters.pop("_events", ["feature-created"]),
        "projects": parameters.pop("_projects", []),
        "environments": parameters.pop("_environments", []),
    }
    response = client.post(A, headers=ADMIN, json=body)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _event(client: TestClient, type: str) -> dict[str, Any]:
    events = client.get("/api/admin/events", headers=ADMIN).json()["events"]
    found: dict[str, Any] = next(e for e in events if e["type"] == type)
    return found


def _integration_events(client: TestClient, addon_id: int) -> list[dict[str, Any]]:
    response = client.get(f"{A}/{addon_id}/events", headers=ADMIN)
    assert response.status_code == 200
    page: list[dict[str, Any]] = response.json()["integrationEvents"]
    return page


def test_webhook__feature_created__event_json_posted_and_success_recorded(
    app_client: TestClient, target: Target
) -> None:
    addon_id = _webhook(
        app_client,
        url=target.url,
        authorization="Bearer s3cret",
        customHeaders='{"X-Extra": "yes"}',
    )
    flagkit.create_flag(app_client, "f1")
    _deliveries(app_client).join()
    event = _event(app_client, "feature-created")
    assert len(target.requests) == 1
    sent = target.requests[0]
    assert sent["path"] == "/hook"
    assert json.loads(sent["body"]) == event
    assert sent["headers"]["Content-Type"] == "application/json"
    assert sent["headers"]["Authorization"] == "Bearer s3cret"
    assert sent["headers"]["X-Extra"] == "yes"
    [recorded] = _integration_events(app_client, addon_id)
    assert recorded["integrationId"] == addon_id
    assert recorded["state"] == "success"
    assert recorded["stateDetails"] == "Webhook request was successful with status code: 200."
    assert recorded["event"] == event
    assert recorded["details"] == {
        "url": target.url,
        "contentType": "application/json",
        "body": event,
    }
    assert recorded["id"].isdigit()


def test_webhook__body_template__rendered_with_mustache(
    app_client: TestClient, target: Target
) -> None:
    template = (
        '{"event": "{{event.type}}", "text": "{{event.data.description}}", '
        '"json": {{{eventJson}}}}'
    )
    addon_id = _webhook(app_client, url=target.url, bodyTemplate=template, contentType="text/x")
    flagkit.create_flag(app_client, "f1", description="a<b>&'/=")
    _deliveries(app_client).join()
    event = _event(app_client, "feature-created")
    sent = json.loads(target.requests[0]["body"])
    assert sent["event"] == "feature-created"
    # mustache.js's escaping, not Python's html.escape.
    assert sent["text"] == "a&lt;b&gt;&amp;&#39;&#x2F;&#x3D;"
    assert json.loads(sent["json"]) == event
    assert target.requests[0]["headers"]["Content-Type"] == "text/x"
    [recorded] = _integration_events(app_client, addon_id)
    assert recorded["details"]["body"] == target.requests[0]["body"]


def test_webhook__fails_twice__third_attempt_succeeds(
    app_client: TestClient, target: Target
) -> None:
    target.statuses = [503, 500]
    addon_id = _webhook(app_client, url=target.url)
    flagkit.create_flag(app_client, "f1")
    _deliveries(app_client).join()
    assert len(target.requests) == 3
    [recorded] = _integration_events(app_client, addon_id)
    assert (recorded["state"], recorded["stateDetails"]) == (
        "success",
        "Webhook request was successful with status code: 200.",
    )


def test_webhook__always_failing__three_attempts_failed_recorded(
    app_client: TestClient, target: Target
) -> None:
    target.statuses = [500, 500, 500, 500]
    addon_id = _webhook(app_client, url=target.url)
    flagkit.create_flag(app_client, "f1")
    _deliveries(app_client).join()
    assert len(target.requests) == 3
    [recorded] = _integration_events(app_client, addon_id)
    assert (recorded["state"], recorded["stateDetails"]) == (
        "failed",
        "Webhook request failed with status code: 500.",
    )


def test_webhook__client_error__not_retried(app_client: TestClient, target: Target) -> None:
    target.statuses = [404]
    addon_id = _webhook(app_client, url=target.url)
    flagkit.create_flag(app_client, "f1")
    _deliveries(app_client).join()
    assert len(target.requests) == 1
    assert _integration_events(app_client, addon_id)[0]["stateDetails"] == (
        "Webhook request failed with status code: 404."
    )


def test_webhook__bad_custom_headers__success_with_errors(
    app_client: TestClient, target: Target
) -> None:
    addon_id = _webhook(app_client, url=target.url, customHeaders="{not json")
    flagkit.create_flag(app_client, "f1")
    _deliveries(app_client).join()
    [recorded] = _integration_events(app_client, addon_id)
    assert (recorded["state"], recorded["stateDetails"]) == (
        "successWithErrors",
        "Could not parse the JSON in the customHeaders parameter.\n"
        "Webhook request was successful with status code: 200.",
    )


def test_webhook__dead_target__failed_500(app_client: TestClient, target: Target) -> None:
    dead = target.url.rsplit(":", 1)[0] + ":1/hook"
    addon_id = _webhook(app_client, url=dead)
    flagkit.create_flag(app_client, "f1")
    _deliveries(app_client).join()
    [recorded] = _integration_events(app_client, addon_id)
    assert (recorded["state"], recorded["stateDetails"]) == (
        "failed",
        "Webhook request failed with status code: 500.",
    )


@pytest.mark.parametrize(
    ("filters", "delivered"),
    [
        ({"_projects": ["other"]}, 0),
        ({"_projects": ["default"]}, 1),
        ({"_projects": ["*"]}, 1),
        ({"_events": ["feature-archived"]}, 0),
        ({"_environments": ["production"]}, 1),  # feature-created has no environment
    ],
)
def test_webhook__filters__as_8_2(
    app_client: TestClient, target: Target, filters: dict[str, Any], delivered: int
) -> None:
    _webhook(app_client, url=target.url, **filters)
    flagkit.create_flag(app_client, "f1")
    _deliveries(app_client).join()
    assert len(target.requests) == delivered


def test_webhook__environment_filter__other_environment_not_delivered(
    app_client: TestClient, target: Target
) -> None:
    _webhook(
        app_client,
        url=target.url,
        _events=["feature-environment-enabled"],
        _environments=["production"],
    )
    flagkit.create_flag(app_client, "f1")
    flagkit.switch(app_client, "f1", environment="development")
    _deliveries(app_client).join()
    assert target.requests == []


def test_webhook__disabled_addon__nothing_sent(app_client: TestClient, target: Target) -> None:
    addon_id = _webhook(app_client, url=target.url)
    body = {
        "provider": "webhook",
        "enabled": False,
        "parameters": {"url": "*****"},
        "events": ["feature-created"],
    }
    assert app_client.put(f"{A}/{addon_id}", headers=ADMIN, json=body).status_code == 200
    flagkit.create_flag(app_client, "f1")
    _deliveries(app_client).join()
    assert target.requests == []


def test_webhook__slow_target__writes_do_not_wait(app_client: TestClient, target: Target) -> None:
    target.release = threading.Event()
    _webhook(app_client, url=target.url)
    flagkit.create_flag(app_client, "f1")
    assert target.entered.wait(timeout=30)
    # The target holds the first delivery; more writes answer meanwhile.
    flagkit.create_flag(app_client, "f2")
    flagkit.create_flag(app_client, "f3")
    assert not target.release.is_set()
    assert len(target.requests) == 1
    target.release.set()
    _deliveries(app_client).join()
    names = [json.loads(r["body"])["featureName"] for r in target.requests]
    assert names == ["f1", "f2", "f3"]


def test_sender__name_resolves_elsewhere_after_check__connects_to_checked_address(
    target: Target, monkeypatch: pytest.MonkeyPatch
) -> None:
    # DNS rebinding: the name resolves to the local receiver when checked and to an unroutable
    # documentation address for every later lookup. The delivery must use the checked address.
    real = socket.getaddrinfo
    answers = ["127.0.0.1"]
    lookups: list[str] = []

    def rebinding(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host != "hook.invalid":
            return real(host, *args, **kwargs)
        lookups.append(host)
        address = answers.pop(0) if answers else "192.0.2.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, 0))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    port = target.url.split(":")[2].split("/")[0]
    status = Sender(allow_private=True, backoff=0.0, timeout=5.0).post(
        f"http://hook.invalid:{port}/hook?a=1", body=b"{}", headers={"X-A": "b"}
    )
    assert (status, lookups) == (200, ["hook.invalid"])
    [request] = target.requests
    assert (request["path"], request["headers"]["Host"], request["headers"]["X-A"]) == (
        "/hook?a=1",
        f"hook.invalid:{port}",
        "b",
    )


def test_sender__redirect__is_the_answer_not_followed(target: Target) -> None:
    target.statuses = [302]
    status = Sender(allow_private=True, backoff=0.0).post(target.url, body=b"{}", headers={})
    assert (status, len(target.requests)) == (302, 1)
