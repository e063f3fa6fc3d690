"""POST /api/admin/playground answers as Unleash 7.5.1 does, request for request.

Each fixture in fixtures/ holds a request and the reference server's answer (recorded by
record.py, normalised by playground_normalise). The scenario's flags are set up on leash
exactly as on the reference, then every request is replayed and compared in full.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import playground_normalise as normalise
import pytest
from fastapi.testclient import TestClient
from playground_setup import set_up

from conftest import make_settings
from leash.app import create_app
from support import ADMIN, CLIENT, FRONTEND

FIXTURES = Path(__file__).resolve().parent / "fixtures"
NAMES = sorted(path.stem for path in FIXTURES.glob("*.json"))

# Where leash answers differently from the reference on purpose, by fixture and flag.
DELIBERATE = {
    # A child asking for its parent to be off, whose parent is switched on but fails its
    # strategies: Unleash 7.5.1's playground compares only the parent's on/off switch and
    # calls the dependency unsatisfied, while its own frontend API (and every SDK) enables
    # the child. leash's playground says what SDKs do.
    ("ios-bob", "pgfx-child-off"): {
        "isEnabled": True,
        "hasUnsatisfiedDependency": False,
        "variant": {
            "feature_enabled": True,
            "featureEnabled": True,
            "name": "disabled",
            "enabled": False,
        },
    },
}


def load(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return loaded


def expected_body(name: str) -> Any:
    body = copy.deepcopy(load(name)["body"])
    if isinstance(body, dict):
        for feature in body.get("features", []):
            feature.update(DELIBERATE.get((name, feature["name"]), {}))
    return body


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def scenario_client(request: pytest.FixtureRequest, databases: Any) -> Iterator[TestClient]:
    """One database with the scenario for all the requests of this module."""
    if request.param == "postgres":
        import os

        if not os.environ.get("LEASH_TEST_DATABASE_URL"):
            pytest.skip("LEASH_TEST_DATABASE_URL not set")
        url = databases.postgres()
    else:
        url = databases.sqlite()
    try:
        with TestClient(create_app(make_settings(url))) as client:
            set_up(client)
            yield client
    finally:
        if request.param == "postgres":
            databases.drop(url)


TOKENS = {
    "admin": ADMIN,
    "client": CLIENT,
    "frontend": FRONTEND,
    "unknown": {"Authorization": "*:*.no-such-secret"},
    None: {},
}


def send(client: TestClient, name: str) -> Any:
    request = load(name)["request"]
    headers = dict(TOKENS[request["auth"]])
    if request["content_type"] is not None:
        headers["Content-Type"] = request["content_type"]
    body = request["body"]
    content = body.encode() if isinstance(body, str) else json.dumps(body).encode()
    return client.post("/api/admin/playground", headers=headers, content=content)


@pytest.mark.parametrize("name", NAMES)
def test_playground__reference_request__same_status_and_body(
    scenario_client: TestClient, name: str
) -> None:
    response = send(scenario_client, name)

    assert response.status_code == load(name)["status"]
    if load(name)["body"] == "<not json>":
        # Unleash answers malformed JSON with an HTML page; leash with its JSON error body
        assert response.json()["name"] == "BadDataError"
        return
    assert normalise.answer(response.json()) == expected_body(name)


FRONTEND_NAMES = [name for name in NAMES if "frontend" in load(name)]


def _core(variant: dict[str, Any]) -> tuple[str, bool, Any]:
    return (variant["name"], variant["enabled"], variant.get("payload"))


@pytest.mark.parametrize("name", FRONTEND_NAMES)
def test_playground__reference_context__enables_what_unleash_frontend_api_enabled(
    scenario_client: TestClient, name: str
) -> None:
    """Also where leash's playground departs from Unleash's (DELIBERATE), it agrees with the
    flags and variants Unleash's own frontend API gave for the same context."""
    response = send(scenario_client, name)

    enabled = {
        f["name"]: _core(f["variant"]) for f in response.json()["features"] if f["isEnabled"]
    }
    assert enabled == {t["name"]: _core(t["variant"]) for t in load(name)["frontend"]}
