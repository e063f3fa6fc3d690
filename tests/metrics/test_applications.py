"""Applications and metrics views (getApplications, getApplication, createApplication,
deleteApplication, getApplicationOverview, getApplicationEnvironmentInstances, getOutdatedSdks,
getRawFeatureMetrics) against what Unleash 8.2.0 answered to the same SDK traffic
(fixtures/applications.json, recorded by record_applications.py)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import appkit
import pytest
from fastapi.testclient import TestClient

from conftest import PG_ENV, Databases, make_settings
from leash.app import create_app
from support import ADMIN

REFERENCE: dict[str, Any] = json.loads(
    (Path(__file__).parent / "fixtures" / "applications.json").read_text()
)


def flush(client: TestClient) -> None:
    state = client.app.state  # type: ignore[attr-defined]
    state.metrics_registrations.flush(state.db)


def _database(kind: str, databases: Databases) -> str:
    if kind == "postgres":
        if not os.environ.get(PG_ENV):
            if os.environ.get("CI"):
                pytest.fail(f"{PG_ENV} must be set in CI so the PostgreSQL suite runs")
            pytest.skip(f"{PG_ENV} not set")
        return databases.postgres()
    return databases.sqlite()


def answer(response: Any) -> dict[str, Any]:
    body = response.json() if response.content else None
    return {"status": response.status_code, "body": appkit.normalise(body)}


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def answers(request: pytest.FixtureRequest, databases: Databases) -> Iterator[dict[str, Any]]:
    """The reference's sequence, run once per database: seed, flush, reads, writes, deletes."""
    url = _database(request.param, databases)
    settings = make_settings(url, leash_metrics_flush_seconds=3600)
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    found: dict[str, Any] = {}
    with TestClient(create_app(settings)) as client:
        found["sdk_statuses"] = appkit.seed(client, now=now)
        flush(client)
        for name, path in appkit.READS.items():
            found[name] = answer(client.get(path, headers=ADMIN))
        for name, method, path, body in appkit.WRITES:
            found[name] = answer(client.request(method, path, json=body, headers=ADMIN))
        for name, path in appkit.READS_AFTER_WRITES.items():
            found[name] = answer(client.get(path, headers=ADMIN))
        for name, path in appkit.DELETES:
            found[name] = answer(client.delete(path, headers=ADMIN))
        for name, path in appkit.READS_AFTER_DELETES.items():
            found[name] = answer(client.get(path, headers=ADMIN))
    yield found
    databases.drop(url)


def test_seed__every_sdk_request__accepted_as_reference(answers: dict[str, Any]) -> None:
    assert answers["sdk_statuses"] == REFERENCE["sdk_statuses"]


@pytest.mark.parametrize(
    "name",
    [*appkit.READS, *[w[0] for w in appkit.WRITES], *appkit.READS_AFTER_WRITES]
    + [d[0] for d in appkit.DELETES]
    + list(appkit.READS_AFTER_DELETES),
)
def test_applications_view__answers_as_reference(answers: dict[str, Any], name: str) -> None:
    assert answers[name] == REFERENCE[name]
