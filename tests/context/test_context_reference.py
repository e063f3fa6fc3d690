"""The context API answers as Unleash 8.2.0 does, step for step.

fixtures/scenario.json holds each step's request, the reference's answer and the context-field
events it recorded (recorded by record.py, normalised by its `shape`). The steps are replayed
in order on an empty leash, on both databases, and compared in full.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi.testclient import TestClient

from context.record import FIXTURE, answer, last_event_id, new_events, send


def _steps() -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = json.loads(FIXTURE.read_text())
    return steps


def test_context_api__the_recorded_scenario__answers_and_events_as_unleash(
    client: TestClient,
) -> None:
    for recorded in _steps():
        item = recorded["request"]
        before = last_event_id(client)
        response = send(client, item)
        if item.get("setup"):
            assert response.status_code < 300, (item["name"], response.text)
            continue
        got = {"request": item, **answer(response), "events": new_events(client, before)}

        assert got == recorded, item["name"]
