"""Record the playground fixtures from a running reference Unleash 7.5.1.

    setsid /work/shared/tools/reference-unleash > /tmp/reference-unleash.log 2>&1 &
    .venv/bin/python tests/playground/record.py [--base-url http://127.0.0.1:4243]

Works on a shared, non-fresh server: it first removes its own flags and segments (names
starting with scenario.PREFIX), sets the scenario up again, and keeps only the scenario's flags
from each answer. Writes tests/playground/fixtures/<request name>.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import playground_normalise as normalise  # noqa: E402
import playground_scenario as scenario  # noqa: E402

TOKENS = {
    "admin": "*:*.admin-secret",
    "client": "*:development.client-secret",
    "frontend": "*:development.frontend-secret",
    "unknown": "*:*.no-such-secret",
}
PROJECT = "/api/admin/projects/default/features"


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
        content_type: str | None = "application/json",
        auth: str | None = "admin",
    ) -> tuple[int, Any]:
        data = raw.encode() if raw is not None else None
        if body is not None:
            data = json.dumps(body).encode()
        headers = {} if auth is None else {"Authorization": TOKENS[auth]}
        if content_type is not None and data is not None:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(
            self.base_url + path, data=data, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode()
        try:
            return status, json.loads(text) if text.strip() else None
        except json.JSONDecodeError:
            # Unleash answers malformed JSON with an HTML error page; only its status matters.
            return status, "<not json>"

    def must(self, method: str, path: str, body: Any = None) -> Any:
        status, answer = self.send(method, path, body)
        if status >= 300:
            raise SystemExit(f"{method} {path} -> {status}: {answer}")
        return answer


def flag_names() -> list[str]:
    return scenario.flag_names(scenario.SETUP)


def clean(server: Server) -> None:
    _, listed = server.send("GET", PROJECT)
    leftovers = [
        f["name"]
        for f in (listed or {}).get("features", [])
        if f["name"].startswith(scenario.PREFIX) and f["name"] not in flag_names()
    ]
    # children before parents: Unleash will not archive a flag others depend on
    for name in leftovers + list(reversed(flag_names())):
        server.send("DELETE", f"{PROJECT}/{name}")
        server.send("DELETE", f"/api/admin/archive/{name}")
    _, body = server.send("GET", "/api/admin/segments")
    for segment in (body or {}).get("segments", []):
        if segment["name"].startswith(scenario.PREFIX):
            server.must("DELETE", f"/api/admin/segments/{segment['id']}")


def set_up(server: Server) -> None:
    segment_ids: dict[str, int] = {}
    for op in scenario.SETUP:
        kind = op[0]
        if kind == "segment":
            created = server.must(
                "POST", "/api/admin/segments", {"name": op[1], "constraints": op[2]}
            )
            segment_ids[op[1]] = created["id"]
        elif kind == "flag":
            server.must("POST", PROJECT, {"name": op[1]})
        elif kind == "strategy":
            body = dict(op[2])
            if "segments" in body:
                body["segments"] = [segment_ids[name] for name in body["segments"]]
            server.must("POST", f"{PROJECT}/{op[1]}/environments/development/strategies", body)
        elif kind == "on":
            server.must("POST", f"{PROJECT}/{op[1]}/environments/development/on")
        elif kind == "dependency":
            server.must("POST", f"{PROJECT}/{op[1]}/dependencies", op[2])
        else:
            raise SystemExit(f"unknown operation {kind}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base-url", default="http://127.0.0.1:4243")
    args = parser.parse_args(argv)
    server = Server(args.base_url)
    clean(server)
    set_up(server)
    # The playground reads the database, but the frontend API serves a cache refreshed about
    # once a second.
    time.sleep(3)
    out = HERE / "fixtures"
    out.mkdir(exist_ok=True)
    for call in scenario.REQUESTS:
        name, body = call["name"], call["body"]
        status, answer = server.send(
            "POST",
            "/api/admin/playground",
            None if isinstance(body, str) else body,
            raw=body if isinstance(body, str) else None,
            content_type=call["content_type"],
            auth=call["auth"],
        )
        record = {
            "request": {k: v for k, v in call.items() if k != "name"},
            "status": status,
            "body": normalise.answer(answer),
        }
        in_default = body.get("projects", "*") in ("*", ["default"]) if status == 200 else False
        if in_default and body.get("environment") == "development":
            # what Unleash's own frontend API says for the same context, to compare with
            _, toggles = server.send(
                "POST", "/api/frontend", {"context": body["context"]}, auth="frontend"
            )
            record["frontend"] = sorted(
                (
                    {"name": t["name"], "variant": t["variant"]}
                    for t in toggles["toggles"]
                    if t["name"].startswith(scenario.PREFIX)
                ),
                key=lambda t: t["name"],
            )
        (out / f"{name}.json").write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n")
        print(f"{name}: {status}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
