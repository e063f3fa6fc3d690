"""The tag APIs answer as Unleash 8.2.0 does, request for request, and store the same events.

Each fixture (recorded by record_tags.py from the reference) holds one step of tags_scenario: its
status, body, Location header and the events it stored. The scenario's flags are made on leash
as on the reference, then every step is replayed in order and compared in full. Where leash
answers differently on purpose (a 500 in Unleash), test_tags_api.py says so.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import tags_normalise as normalise
import tags_scenario as scenario
from fastapi.testclient import TestClient
from sqlalchemy import select

import flagkit
from leash.events.models import events
from leash.events.repository import to_json
from support import ADMIN

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _recorded(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return loaded


def _events_after(client: TestClient, event_id: int) -> list[dict[str, Any]]:
    db = client.app.state.db  # type: ignore[attr-defined]
    with db.connect() as conn:
        rows = conn.execute(select(events).where(events.c.id > event_id)).all()
    return [to_json(row) for row in rows]


def _last_event_id(client: TestClient) -> int:
    found = _events_after(client, 0)
    return max((int(e["id"]) for e in found), default=0)


def test_every_step_has_its_fixture() -> None:
    assert sorted(p.stem for p in FIXTURES.glob("*.json")) == sorted(
        step.name for step in scenario.STEPS
    )


def test_scenario__each_step__answers_and_events_as_recorded(client: TestClient) -> None:
    for flag in scenario.FLAGS:
        flagkit.create_flag(client, flag)
    mismatches: list[str] = []
    for step in scenario.STEPS:
        before = _last_event_id(client)
        content = step.raw.encode() if step.raw is not None else None
        response = client.request(
            step.method,
            step.path,
            headers={**ADMIN, "Content-Type": step.content_type},
            content=content if step.body is None else json.dumps(step.body).encode(),
        )
        answer = response.json() if response.content else None
        got = {
            "status": response.status_code,
            "body": normalise.body(answer),
            "location": response.headers.get("location"),
            "events": normalise.events(_events_after(client, before)),
        }
        expected = _recorded(step.name)
        if got != expected:
            mismatches.append(f"{step.name}:\n  leash  {got}\n  unleash {expected}")
    assert not mismatches, "\n".join(mismatches)
