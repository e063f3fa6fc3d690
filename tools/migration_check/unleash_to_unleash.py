"""The baseline: move one Unleash 8.2.0 into another with Unleash's own export/import, as a user.

    python tools/migration_check/unleash_to_unleash.py --a URL --b URL \
        [--b-database-url DSN] [--json FILE]

A user of Unleash's export/import, per project and environment: exports through
`POST /api/admin/features-batch/export` with a personal access token (imports are refused for
admin tokens in 8.2), validates and imports the file into the other instance. What the format
does not carry is done by hand first, as Unleash's documentation tells the user: the projects
(written as Unleash writes them when the open-source edition has no route for it, see seed.py),
custom strategy definitions and segments (re-created from the source's admin views, in the order
the admin UI lists them, so with new ids). Then compare.py judges the copy against the source.
The PATs come from logging in with a user and password (Unleash's first admin by default).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import uuid
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `tools.migration_check` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import httpx
from tools.migration_check import allowance, compare, dataset, seed
from tools.migration_check.admin import Admin

ADMIN_TOKEN = "*:*.admin-secret"


def personal_token(url: str, *, username: str, password: str) -> str:
    """A PAT of `username`, made through a login session as a user makes one in the UI."""
    with httpx.Client(base_url=url, timeout=30) as http:
        login = http.post("/auth/simple/login", json={"username": username, "password": password})
        login.raise_for_status()
        created = http.post(
            "/api/admin/user/tokens",
            json={
                "description": f"migration baseline {uuid.uuid4()}",
                "expiresAt": "2099-01-01T00:00:00.000Z",
            },
        )
        created.raise_for_status()
        return str(created.json()["secret"])


def recreate_by_hand(source: Admin, target: Admin) -> list[str]:
    """Custom strategy definitions and segments, typed again into the target; what was done."""
    done: list[str] = []
    for strategy in source.get("/api/admin/strategies")["strategies"]:
        if not strategy.get("editable"):
            continue  # built in
        target.post(
            "/api/admin/strategies",
            {
                "name": strategy["name"],
                "description": strategy.get("description") or "",
                "parameters": strategy.get("parameters", []),
            },
        )
        done.append(f"strategy {strategy['name']}")
    for segment in sorted(source.get("/api/admin/segments")["segments"], key=lambda s: s["name"]):
        body = {
            "name": segment["name"],
            "description": segment.get("description") or "",
            "constraints": segment.get("constraints", []),
        }
        if segment.get("project"):
            body["project"] = segment["project"]
        target.post("/api/admin/segments", body)
        done.append(f"segment {segment['name']}")
    return done


def move(
    source: Admin,
    target: Admin,
    *,
    source_pat: str,
    target_pat: str,
    target_database_url: str | None,
    make_projects: bool = True,
) -> dict[str, Any]:
    """Exports every project and environment of `source` and imports them into `target`
    (`make_projects=False`: the target has them already, e.g. a leash database)."""
    if make_projects:
        seed.create_projects(target, database_url=target_database_url)
    exporter = Admin(url=source.url, token=source_pat)
    importer = Admin(url=target.url, token=target_pat)
    log: dict[str, Any] = {"validation_before_definitions": {}, "imports": []}
    try:
        # The projects of the source's flags: open-source Unleash lists only `default` in
        # GET /api/admin/projects, though it serves the flags of every project.
        projects = sorted({f["project"] for f in compare.search_all(source, archived=False)})
        files = {
            (project, environment): exporter.post(
                "/api/admin/features-batch/export",
                {"project": project, "environment": environment, "downloadFile": False},
            )
            for project in projects
            for environment in dataset.ENVIRONMENTS
        }
        # What Unleash's validation tells the user before the definitions exist on the target.
        for (project, environment), data in files.items():
            log["validation_before_definitions"][f"{project}/{environment}"] = importer.post(
                "/api/admin/features-batch/validate",
                {"project": project, "environment": environment, "data": data},
            )
        log["by_hand"] = recreate_by_hand(source, target)
        for (project, environment), data in files.items():
            body = {"project": project, "environment": environment, "data": data}
            validation = importer.post("/api/admin/features-batch/validate", body)
            status = importer.status("POST", "/api/admin/features-batch/import", body=body)
            log["imports"].append(
                {
                    "project": project,
                    "environment": environment,
                    "flags": len(data.get("features", [])),
                    "errors": validation.get("errors", []),
                    "warnings": validation.get("warnings", []),
                    "status": status,
                }
            )
    finally:
        exporter.close()
        importer.close()
    return log


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--a", default="http://127.0.0.1:4249", help="the seeded source")
    parser.add_argument("--a-token", default=ADMIN_TOKEN)
    parser.add_argument("--b", default="http://127.0.0.1:4250", help="an empty Unleash")
    parser.add_argument("--b-token", default=ADMIN_TOKEN)
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password", default="unleash4all")
    parser.add_argument("--b-database-url", help="the target's PostgreSQL, to create projects")
    parser.add_argument("--contexts", type=int, default=2000)
    parser.add_argument("--show", type=int, default=30)
    parser.add_argument("--json", type=Path, help="write the import log and the sections here")
    args = parser.parse_args(argv)
    source = Admin(url=args.a, token=args.a_token)
    target = Admin(url=args.b, token=args.b_token)
    try:
        log = move(
            source,
            target,
            source_pat=personal_token(args.a, username=args.username, password=args.password),
            target_pat=personal_token(args.b, username=args.username, password=args.password),
            target_database_url=args.b_database_url,
        )
        for entry in log["imports"]:
            print(
                f"import {entry['project']}/{entry['environment']}: {entry['flags']} flags, "
                f"status {entry['status']}, {len(entry['errors'])} errors, "
                f"{len(entry['warnings'])} warnings"
            )
        sections = compare.judge(
            compare.Server(args.a, source), compare.Server(args.b, target), count=args.contexts
        )
        views = compare.admin_views(source)
    finally:
        source.close()
        target.close()
    for line in compare.report(sections, show=args.show):
        print(line)
    unexplained = allowance.outside(
        sections, allowance.export_import_allowance(views, environments=dataset.ENVIRONMENTS)
    )
    print(f"differences outside what Unleash's export format cannot carry: {len(unexplained)}")
    for difference in unexplained[: args.show]:
        print(f"  {difference}")
    if args.json is not None:
        args.json.write_text(
            json.dumps(
                {
                    "log": log,
                    "sections": [compare.as_json(s) for s in sections],
                    "source_views": dataclasses.asdict(views),
                    "unexplained": unexplained,
                },
                indent=2,
            )
        )
    return 0 if not unexplained else 1


if __name__ == "__main__":
    raise SystemExit(main())
