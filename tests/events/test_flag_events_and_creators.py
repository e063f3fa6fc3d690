"""GET /api/admin/events/{featureName} (getEventsForToggle) against the answers Unleash 8.2.0
gave (fixtures/events_for_toggle.json), and GET /api/admin/event-creators."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from flagkit import add_strategy, create_flag, switch
from support import ADMIN

RECORDED: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parent / "fixtures" / "events_for_toggle.json").read_text()
)
PASSWORD = "Very-Secret-Pass-123!"
VOLATILE = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\b01[0-9A-HJKMNP-TV-Z]{24}\b"
)
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")


def normalised(body: Any) -> Any:
    """Ids (uuids in leash, ULIDs in Unleash), timestamps and event ids to placeholders."""
    text = STAMP.sub("<timestamp>", VOLATILE.sub("<ulid>", json.dumps(body)))
    out = json.loads(text)
    for event in out.get("events", []):
        event["id"] = "<event id>"
    return out


def test_get_events_for_toggle__newest_first__as_8_2(client: TestClient) -> None:
    create_flag(client, "h3-ev-flag")
    add_strategy(client, "h3-ev-flag", name="default", parameters={})
    switch(client, "h3-ev-flag", on=True)
    create_flag(client, "h3-ev-other")
    response = client.get("/api/admin/events/h3-ev-flag", headers=ADMIN)
    assert response.status_code == 200
    body = response.json()
    assert normalised(body) == normalised(RECORDED["events_for_toggle"]["body"])


def test_get_events_for_toggle__unknown_flag__empty_as_8_2(client: TestClient) -> None:
    response = client.get("/api/admin/events/h3-ev-nope", headers=ADMIN)
    expected = RECORDED["events_for_unknown_flag"]
    assert (response.status_code, response.json()) == (expected["status"], expected["body"])


def test_get_events_for_toggle__at_most_50_of_the_total(client: TestClient) -> None:
    create_flag(client, "h3-ev-many")
    for on in [True, False] * 30:
        switch(client, "h3-ev-many", on=on)
    body = client.get("/api/admin/events/h3-ev-many", headers=ADMIN).json()
    # Created, the default strategy the first enable adds, then 60 switches.
    assert (len(body["events"]), body["totalEvents"]) == (50, 62)
    assert body["events"][0]["type"] == "feature-environment-disabled"


def test_event_routes__no_token__401(client: TestClient) -> None:
    assert client.get("/api/admin/events/h3-ev-flag").status_code == 401
    assert client.get("/api/admin/event-creators").status_code == 401


SYSTEM = {"id": -1337, "name": "Unleash System"}
# Events without a user id (the migrations' ones) are Number(null) = 0 to Unleash, named by
# their created_by, and listed last.
MIGRATION = {"id": 0, "name": "migration"}


def test_get_event_creators__fresh_database__system_and_migration(client: TestClient) -> None:
    response = client.get("/api/admin/event-creators", headers=ADMIN)
    assert (response.status_code, response.json()) == (200, [SYSTEM, MIGRATION])


def test_get_event_creators__admin_token_and_user__named_once_each(client: TestClient) -> None:
    created = client.post(
        "/api/admin/user-admin",
        headers=ADMIN,
        json={"username": "h3-ed", "name": "Ed Itor", "rootRole": 2, "password": PASSWORD},
    )
    assert created.status_code == 201
    user_id = created.json()["id"]
    create_flag(client, "h3-ev-a")
    create_flag(client, "h3-ev-b")
    login = client.post("/auth/simple/login", json={"username": "h3-ed", "password": PASSWORD})
    assert login.status_code == 200
    by_user = client.post("/api/admin/projects/default/features", json={"name": "h3-ev-c"})
    assert by_user.status_code == 201
    client.cookies.clear()
    response = client.get("/api/admin/event-creators", headers=ADMIN)
    assert response.json() == [
        SYSTEM,
        {"id": -42, "name": "Unleash Admin Token"},
        {"id": user_id, "name": "Ed Itor"},
        MIGRATION,
    ]
