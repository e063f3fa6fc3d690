"""Record the tag fixtures from a running reference Unleash 8.2.0.

    .venv/bin/python tests/tags/record_tags.py [--base-url http://127.0.0.1:4243]

Safe on a shared, non-fresh server: it first removes its own tag types, tags and flags (names
starting with tags_scenario.PREFIX), creates the scenario's flags, then sends every step and
writes tests/tags/fixtures/<step>.json: the status, the body and Location header, and the
events the step stored (normalised by tags_normalise).
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import tags_normalise as normalise  # noqa: E402
import tags_scenario as scenario  # noqa: E402

ADMIN = "*:*.admin-secret"


class Server:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    def send(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: str | None = None,
        content_type: str = "application/json",
    ) -> tuple[int, Any, str | None]:
        data = raw.encode() if raw is not None else None
        if body is not None:
            data = json.dumps(body).encode()
        headers = {"Authorization": ADMIN}
        if data is not None:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(
            self.base_url + path, data=data, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request) as response:
                status, text = response.status, response.read().decode()
                location = response.headers.get("location")
        except urllib.error.HTTPError as error:
            status, text, location = error.code, error.read().decode(), None
        return status, json.loads(text) if text.strip() else None, location

    def last_event_id(self) -> int:
        _, answer, _ = self.send("GET", "/api/admin/search/events?limit=1")
        found = answer["events"]
        return int(found[0]["id"]) if found else 0

    def events_after(self, event_id: int) -> list[dict[str, Any]]:
        _, answer, _ = self.send("GET", "/api/admin/search/events?limit=200")
        return [e for e in answer["events"] if int(e["id"]) > event_id]


def clean(server: Server) -> None:
    prefix = scenario.PREFIX
    _, types, _ = server.send("GET", "/api/admin/tag-types")
    for tag_type in types["tagTypes"]:
        if tag_type["name"].startswith(prefix):
            server.send("DELETE", f"/api/admin/tag-types/{tag_type['name']}")
    _, simple, _ = server.send("GET", "/api/admin/tags/simple")
    for tag in simple["tags"]:
        if prefix in tag["value"]:
            server.send("DELETE", f"/api/admin/tags/simple/{quote(tag['value'], safe='')}")
    for flag in scenario.FLAGS:
        server.send("DELETE", f"/api/admin/projects/default/features/{flag}")
        server.send("DELETE", f"/api/admin/archive/{flag}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", default="http://127.0.0.1:4243")
    server = Server(parser.parse_args().base_url)
    clean(server)
    for flag in scenario.FLAGS:
        status, answer, _ = server.send(
            "POST", "/api/admin/projects/default/features", {"name": flag}
        )
        assert status == 201, answer
    fixtures = HERE / "fixtures"
    fixtures.mkdir(exist_ok=True)
    for step in scenario.STEPS:
        before = server.last_event_id()
        status, answer, location = server.send(
            step.method, step.path, step.body, raw=step.raw, content_type=step.content_type
        )
        recorded = {
            "status": status,
            "body": normalise.body(answer),
            "location": location,
            "events": normalise.events(server.events_after(before)),
        }
        (fixtures / f"{step.name}.json").write_text(json.dumps(recorded, indent=1) + "\n")
        print(step.name, status)


if __name__ == "__main__":
    main()
