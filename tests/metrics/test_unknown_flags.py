"""getUnknownFlags: names SDKs reported that are no flag, as Unleash 8.2.0 answered the same
reports (fixtures/unknown_flags.json, recorded by record_unknown_flags.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import appkit
from fastapi.testclient import TestClient
from sqlalchemy import select

from leash.metrics import cleanup
from leash.metrics.models import unknown_flags
from support import ADMIN, CLIENT

REFERENCE: dict[str, Any] = json.loads(
    (Path(__file__).parent / "fixtures" / "unknown_flags.json").read_text()
)
PATH = "/api/admin/metrics/unknown-flags"


def flush(client: TestClient) -> None:
    state = client.app.state  # type: ignore[attr-defined]
    state.metrics_registrations.flush(state.db)


def events_normalised(body: Any) -> Any:
    for flag in body["unknownFlags"]:
        if flag.get("lastEventAt") is not None:
            flag["lastEventAt"] = "<time>"
    return body


def test_unknown_flags__reports__answered_as_reference(client: TestClient) -> None:
    statuses = appkit.seed_unknown(client, stops=REFERENCE["stops"])
    assert statuses == REFERENCE["statuses"]
    flush(client)
    response = client.get(PATH, headers=ADMIN)
    assert response.status_code == REFERENCE["answer"]["status"] == 200
    assert events_normalised(response.json()) == events_normalised(REFERENCE["answer"]["body"])


def test_unknown_flags__before_flush__none(client: TestClient) -> None:
    stop = datetime.now(UTC).isoformat()
    body = {"appName": "a", "bucket": {"start": stop, "stop": stop, "toggles": {"x": {"yes": 1}}}}
    assert client.post("/api/client/metrics", json=body, headers=CLIENT).status_code == 202
    assert client.get(PATH, headers=ADMIN).json() == {"unknownFlags": []}
    flush(client)
    assert [f["name"] for f in client.get(PATH, headers=ADMIN).json()["unknownFlags"]] == ["x"]


def test_clean_up__unknown_flags_past_24_hours__deleted(client: TestClient) -> None:
    old = (datetime.now(UTC) - timedelta(hours=25)).isoformat()
    recent = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    for name, stop in (("old", old), ("recent", recent)):
        body = {
            "appName": "a",
            "bucket": {"start": stop, "stop": stop, "toggles": {name: {"yes": 1}}},
        }
        client.post("/api/client/metrics", json=body, headers=CLIENT)
    flush(client)
    db = client.app.state.db  # type: ignore[attr-defined]
    assert cleanup.run_once(db) == 1
    with db.connect() as conn:
        assert conn.execute(select(unknown_flags.c.name)).scalars().all() == ["recent"]
