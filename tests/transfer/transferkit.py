"""Helpers of the transfer tests (importable as `transferkit`): the recorded Unleash served
over httpx.MockTransport or a local HTTP server, seeding a leash with scenario.py's data set,
the admin views two leash instances are compared on."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import update

import scenario
from leash.db import create_db_engine
from leash.features.models import feature_environments
from support import ADMIN, CLIENT, add_project

FIXTURES = Path(__file__).parent / "fixtures"


# Fixture prefixes: Unleash 8.2.0 (the reference) and 7.5.1, seeded alike.
UNLEASH_8_2 = "unleash"
UNLEASH_7_5 = "unleash_7_5_1"


def recorded_admin_api(prefix: str = UNLEASH_8_2) -> dict[str, Any]:
    answers: dict[str, Any] = json.loads((FIXTURES / f"{prefix}_admin_api.json").read_text())
    return answers


def recorded_client_features(prefix: str = UNLEASH_8_2) -> dict[str, Any]:
    path = FIXTURES / f"{prefix}_client_features.json"
    body: dict[str, Any] = json.loads(path.read_text())
    return body


class RecordedUnleash:
    """Answers GETs from the recording; anything else is noted (the source is never written)."""

    def __init__(self, prefix: str = UNLEASH_8_2) -> None:
        self.answers = recorded_admin_api(prefix)
        self.requests: list[tuple[str, str]] = []

    def answer(self, method: str, target: str) -> tuple[int, bytes]:
        self.requests.append((method, target))
        if method != "GET":
            return 405, b'{"message": "the migration must not write"}'
        recorded = self.answers.get(target)
        if recorded is None:
            return 404, b'{"name": "NotFoundError", "message": "not recorded"}'
        return int(recorded["status"]), json.dumps(recorded["body"]).encode()

    def transport(self) -> httpx.MockTransport:
        def handle(request: httpx.Request) -> httpx.Response:
            target = request.url.raw_path.decode()
            status, body = self.answer(request.method, target)
            return httpx.Response(
                status, content=body, headers={"content-type": "application/json"}
            )

        return httpx.MockTransport(handle)

    @contextmanager
    def serve(self) -> Iterator[str]:
        """The recording on a local HTTP server, for the CLI; yields its URL."""
        recorded = self

        class Handler(BaseHTTPRequestHandler):
            def _reply(self) -> None:
                status, body = recorded.answer(self.command, self.path)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _reply

            def log_message(self, format: str, *args: Any) -> None:
                return None

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}"
        finally:
            server.shutdown()
            server.server_close()


def seen_within(check: Callable[[], bool], *, seconds: float) -> bool:
    """True as soon as `check()` holds; False if it still does not after `seconds`."""
    deadline = time.monotonic() + seconds
    pause = threading.Event()
    while True:
        if check():
            return True
        if time.monotonic() >= deadline:
            return False
        pause.wait(0.01)


def seed_leash(client: TestClient, *, database_url: str) -> None:
    """scenario.py's data set in the leash behind `client`; environment variants written to
    the database, as leash (like 8.2) refuses new ones through the API."""
    engine = create_db_engine(database_url, pool_size=1)
    try:
        for project in scenario.PROJECTS[1:]:
            add_project(engine, project)
        scenario.seed(client)
        with engine.begin() as conn:
            for flag, variants in scenario.ENV_VARIANTS.items():
                conn.execute(
                    update(feature_environments)
                    .where(
                        feature_environments.c.feature_name == flag,
                        feature_environments.c.environment == "development",
                    )
                    .values(variants=variants)
                )
    finally:
        engine.dispose()


# Not carried by design (see docs/state-format.md): who made a thing, usage and lifecycle.
VOLATILE = ("lastSeenAt", "lifecycle", "collaborators", "createdBy", "seenAt", "imageUrl")


def _strip(body: Any) -> Any:
    if isinstance(body, dict):
        return {k: _strip(v) for k, v in body.items() if k not in VOLATILE}
    if isinstance(body, list):
        return [_strip(item) for item in body]
    return body


def admin_views(client: TestClient) -> dict[str, Any]:
    """What an admin sees, read through the admin API, for comparing two instances."""

    def get(path: str) -> Any:
        response = client.get(path, headers=ADMIN)
        assert response.status_code == 200, (path, response.text)
        return response.json()

    views: dict[str, Any] = {
        path: get(path)
        for path in (
            "/api/admin/environments",
            "/api/admin/segments",
            "/api/admin/context",
            "/api/admin/strategies",
            "/api/admin/tag-types",
            "/api/admin/tags",
            "/api/admin/api-tokens",
            "/api/admin/search/features?archived=IS:true&limit=100",
            "/api/admin/search/features?limit=100",
        )
    }
    for listed in views["/api/admin/search/features?limit=100"]["features"]:
        base = f"/api/admin/projects/{listed['project']}/features/{listed['name']}"
        views[base] = get(base)
        views[f"/api/admin/features/{listed['name']}/tags"] = get(
            f"/api/admin/features/{listed['name']}/tags"
        )
    for project in scenario.PROJECTS:
        path = f"/api/admin/projects/{project}/overview"
        views[path] = {
            k: v
            for k, v in get(path).items()
            if k in ("name", "description", "mode", "environments")
        }
    stripped: dict[str, Any] = _strip(views)
    return stripped


def client_features(client: TestClient) -> Any:
    response = client.get("/api/client/features", headers=CLIENT)
    assert response.status_code == 200, response.text
    return response.json()


def differences(got: Any, want: Any, *, at: str = "") -> list[str]:
    """Where two JSON values differ, as readable lines (empty when equal)."""
    if isinstance(got, dict) and isinstance(want, dict):
        found: list[str] = []
        for key in sorted(set(got) | set(want), key=str):
            if key not in got:
                found.append(f"{at}/{key}: missing, want {want[key]!r}"[:400])
            elif key not in want:
                found.append(f"{at}/{key}: unexpected {got[key]!r}"[:400])
            else:
                found.extend(differences(got[key], want[key], at=f"{at}/{key}"))
        return found
    if isinstance(got, list) and isinstance(want, list) and len(got) == len(want):
        return [
            line
            for i, (g, w) in enumerate(zip(got, want, strict=True))
            for line in differences(g, w, at=f"{at}[{i}]")
        ]
    return [] if got == want else [f"{at}: got {got!r}, want {want!r}"[:400]]
