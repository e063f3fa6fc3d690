"""Runs scenario steps against a server (the reference, or leash's TestClient) and normalises
its answers so the two compare: the name prefix removed, uuids and timestamps replaced."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx

Step = tuple[str, str, str, Any]  # name, method, path, body (None: no body)


def fill(value: Any, prefix: str) -> Any:
    """`{p}` in names and paths replaced by the run's prefix."""
    if isinstance(value, str):
        return value.replace("{p}", prefix)
    if isinstance(value, list):
        return [fill(item, prefix) for item in value]
    if isinstance(value, dict):
        return {key: fill(item, prefix) for key, item in value.items()}
    return value

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")
ULID = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")
# The keys whose values differ between two servers by nature.
VOLATILE = {"imageUrl": "<imageUrl>"}


def normalise(value: Any, prefix: str) -> Any:
    if isinstance(value, dict):
        return {
            key: VOLATILE.get(key, normalise(item, prefix))
            if key in VOLATILE
            else normalise(item, prefix)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [normalise(item, prefix) for item in value]
    if isinstance(value, str):
        if prefix:
            value = value.replace(prefix, "")
        if ULID.match(value):
            return "<uuid>"  # Unleash 8.2's strategy ids; leash's are UUIDs
        return STAMP.sub("<timestamp>", UUID.sub("<uuid>", value))
    return value


def run(
    http: httpx.Client,
    steps: list[Step],
    *,
    prefix: str,
    headers: dict[str, str],
    settle: Callable[[str], None] = lambda _name: None,
) -> dict[str, Any]:
    """`settle(step name)` runs after each step: the recorder waits there for the reference's
    event listeners (lifecycle stages are entered a moment after the event), leash never."""
    answers: dict[str, Any] = {}
    for name, method, path, body in steps:
        kwargs: dict[str, Any] = {"headers": headers}
        if body is not None:
            kwargs["json"] = fill(body, prefix)
        response = http.request(method, fill(path, prefix), **kwargs)
        text = response.text
        answers[name] = {
            "status": response.status_code,
            "body": normalise(response.json(), prefix) if text else None,
        }
        settle(name)
    return answers


def flag_events(
    http: httpx.Client, *, prefix: str, headers: dict[str, str], names: set[str]
) -> list[Any]:
    """The events of the scenario's flags, oldest first, without ids and creation times."""
    events = http.get("/api/admin/events", headers=headers).json()["events"]
    mine = [
        e
        for e in events
        if e.get("featureName")
        and e["featureName"].removeprefix(prefix) in names
        and e["featureName"].startswith(prefix)
    ]
    kept = []
    for event in reversed(mine):
        kept.append(
            {
                "type": event["type"],
                "featureName": event["featureName"],
                "project": event["project"],
                "environment": event["environment"],
                "data": event["data"],
                "preData": event["preData"],
                "tags": event["tags"],
                "grouped": "groupId" in event,
            }
        )
    return [normalise(e, prefix) for e in kept]
