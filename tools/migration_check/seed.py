"""Seed an Unleash 8.2.0 (or a leash) through its admin API with the data set of dataset.py.

    python tools/migration_check/seed.py URL ADMIN_TOKEN [--database-url DSN]

Unleash's open-source edition has no route that creates a project (createProject is an
Enterprise operation: POST /api/admin/projects answers 404). When the server refuses it, the
projects are written the way Unleash's ProjectService writes them (projects, project_settings,
project_environments rows) into the server's PostgreSQL database named by --database-url; every
other object goes through the admin API. Run it against an empty server: it is deterministic, and
a second run fails on the first object that already exists.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `tools.migration_check` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tools.migration_check import dataset
from tools.migration_check.admin import Admin


def create_projects(admin: Admin, *, database_url: str | None) -> None:
    for project in dataset.PROJECTS:
        status = admin.status("POST", "/api/admin/projects", body=dict(project))
        if status in (200, 201):
            continue
        if status != 404:
            raise SystemExit(f"creating project {project['id']} answered {status}")
        if database_url is None:
            raise SystemExit(
                "this server cannot create projects through its API (open-source Unleash); "
                "pass --database-url of its PostgreSQL database"
            )
        insert_project_rows(database_url=database_url, project=project)


def insert_project_rows(*, database_url: str, project: dataset.Project) -> None:
    """What ProjectService.createProject writes in Unleash 8.2 (projects, settings, envs)."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        conn.execute(
            "INSERT INTO projects (id, name, description, created_at) VALUES (%s, %s, %s, now())",
            (project["id"], project["name"], project["description"]),
        )
        conn.execute(
            "INSERT INTO project_settings (project, project_mode) VALUES (%s, 'open')",
            (project["id"],),
        )
        for environment in dataset.ENVIRONMENTS:
            conn.execute(
                "INSERT INTO project_environments (project_id, environment_name) VALUES (%s, %s)",
                (project["id"], environment),
            )


def create_definitions(admin: Admin) -> dict[str, int]:
    """Context fields, tag types, the custom strategy and segments; segment ids by name."""
    for field in dataset.CONTEXT_FIELDS:
        admin.post("/api/admin/context", field)
    for tag_type in dataset.TAG_TYPES:
        admin.post("/api/admin/tag-types", tag_type)
    admin.post("/api/admin/strategies", dataset.CUSTOM_STRATEGY)
    ids: dict[str, int] = {}
    for segment in dataset.SEGMENTS:
        created = admin.post("/api/admin/segments", segment)
        ids[segment["name"]] = int(created["id"])
    return ids


def strategy_body(strategy: dataset.Strategy, *, segment_ids: dict[str, int]) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": strategy["name"],
        "parameters": strategy.get("parameters", {}),
        "constraints": strategy.get("constraints", []),
        "segments": [segment_ids[name] for name in strategy.get("segments", [])],
        "variants": strategy.get("variants", []),
    }
    if "title" in strategy:
        body["title"] = strategy["title"]
    if "disabled" in strategy:
        body["disabled"] = strategy["disabled"]
    return body


def put_environment_variants(admin: Admin, *, path: str, variants: list[Any]) -> None:
    status = admin.status("PUT", path, body=variants)
    if status == 403:
        raise SystemExit(
            "the server refuses environment variants on new flags (Unleash 8.2's default); "
            "start Unleash with UNLEASH_EXPERIMENTAL_ENABLE_LEGACY_VARIANTS=true, as an instance "
            "upgraded from before 6.x holds them, or pass --no-environment-variants"
        )
    if status != 200:
        raise SystemExit(f"PUT {path} answered {status}")


def create_flag(
    admin: Admin,
    flag: dataset.Flag,
    *,
    segment_ids: dict[str, int],
    environment_variants: bool = True,
) -> None:
    project, name = flag["project"], flag["name"]
    base = f"/api/admin/projects/{project}/features"
    admin.post(
        base,
        {
            "name": name,
            "type": flag["type"],
            "description": flag.get("description", ""),
            "impressionData": flag.get("impressionData", False),
        },
    )
    for environment, setup in flag["environments"].items():
        env_path = f"{base}/{name}/environments/{environment}"
        for order, strategy in enumerate(setup.get("strategies", [])):
            body = strategy_body(strategy, segment_ids=segment_ids)
            body["sortOrder"] = order
            admin.post(f"{env_path}/strategies", body)
        if setup.get("variants") and environment_variants:
            put_environment_variants(admin, path=f"{env_path}/variants", variants=setup["variants"])
        if setup.get("enabled"):
            admin.post(f"{env_path}/on")
    for tag_type, value in flag.get("tags", []):
        admin.post(f"/api/admin/features/{name}/tags", {"type": tag_type, "value": value})
    for link in flag.get("links", []):
        admin.post(f"{base}/{name}/link", link)
    if flag.get("stale"):
        admin.post(f"/api/admin/projects/{project}/stale", {"features": [name], "stale": True})


def seed(
    admin: Admin,
    *,
    database_url: str | None,
    make_projects: bool = True,
    environment_variants: bool = True,
) -> int:
    """Writes the whole data set; the number of flags written. `make_projects=False` when the
    caller has made the projects already (e.g. in a leash database, whose tables differ)."""
    if make_projects:
        create_projects(admin, database_url=database_url)
    segment_ids = create_definitions(admin)
    flags = dataset.flags()
    for flag in flags:
        create_flag(admin, flag, segment_ids=segment_ids, environment_variants=environment_variants)
    # Dependencies once every parent exists; archiving last (an archived flag takes no writes).
    for flag in flags:
        for dependency in flag.get("dependencies", []):
            admin.post(
                f"/api/admin/projects/{flag['project']}/features/{flag['name']}/dependencies",
                dict(dependency),
            )
    for flag in flags:
        if flag.get("archived"):
            admin.call("DELETE", f"/api/admin/projects/{flag['project']}/features/{flag['name']}")
    return len(flags)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url")
    parser.add_argument("token", help="an admin token (or a PAT)")
    parser.add_argument(
        "--database-url",
        help="the server's PostgreSQL (open-source Unleash only: to create projects)",
    )
    parser.add_argument(
        "--projects-exist", action="store_true", help="the projects were made beforehand"
    )
    parser.add_argument(
        "--no-environment-variants",
        action="store_true",
        help="leave out environment variants (for a server that refuses them on new flags)",
    )
    args = parser.parse_args(argv)
    admin = Admin(url=args.url, token=args.token)
    try:
        count = seed(
            admin,
            database_url=args.database_url,
            make_projects=not args.projects_exist,
            environment_variants=not args.no_environment_variants,
        )
    finally:
        admin.close()
    print(f"seeded {args.url}: {count} flags in {len(dataset.PROJECTS) + 1} projects")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
