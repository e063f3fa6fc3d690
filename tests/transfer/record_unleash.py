"""Seeds the reference Unleash with scenario.py's data set and records the admin API answers
`leash migrate --from` reads, as fixtures (run by hand, never by the tests):

    /work/briefs/ref2 --fresh
    .venv/bin/python tests/transfer/record_unleash.py seed http://127.0.0.1:4246 unleash_ref2
    /work/briefs/ref2 stop; /work/briefs/ref2     # Unleash rereads what SQL wrote
    .venv/bin/python tests/transfer/record_unleash.py record http://127.0.0.1:4246 unleash_ref2

For Unleash 7.5.1 (REFERENCE_UNLEASH_VERSION=7.5.1 /work/briefs/ref2 --fresh), the same with
a fixture prefix as last argument: `... record http://127.0.0.1:4246 unleash_ref2 unleash_7_5_1`.

Projects and environment variants are written with SQL (OSS Unleash has no API for the
first, 8.2 refuses new ones of the second).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx

sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parents[1])]

import scenario  # noqa: E402
from leash.transfer.unleash import Recorder, read_unleash  # noqa: E402
from support import ADMIN_SECRET, CLIENT_SECRET  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"


def _psql(database: str, sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-qc", sql], check=True
    )


def seed(url: str, database: str) -> None:
    sql = "".join(
        f"INSERT INTO projects (id, name, description) VALUES ('{p}', '{p.title()}', "
        f"'project {p}') ON CONFLICT DO NOTHING;"
        + "".join(
            f"INSERT INTO project_environments (project_id, environment_name) "
            f"VALUES ('{p}', '{e}') ON CONFLICT DO NOTHING;"
            for e in scenario.ENVIRONMENTS
        )
        for p in scenario.PROJECTS[1:]
    )
    _psql(database, sql)
    with httpx.Client(base_url=url, timeout=30) as http:
        scenario.seed(http)
    for flag, variants in scenario.ENV_VARIANTS.items():
        value = json.dumps(variants).replace("'", "''")
        _psql(
            database,
            f"UPDATE feature_environments SET variants = '{value}'::jsonb "
            f"WHERE feature_name = '{flag}' AND environment = 'development'",
        )


def record(url: str, prefix: str = "unleash") -> None:
    with httpx.Client(base_url=url, timeout=30) as http:
        recorder = Recorder()
        read_unleash(http=http, token=ADMIN_SECRET, recorder=recorder)
        client = http.get("/api/client/features", headers={"Authorization": CLIENT_SECRET})
        client.raise_for_status()
    FIXTURES.mkdir(exist_ok=True)
    (FIXTURES / f"{prefix}_admin_api.json").write_text(
        json.dumps(recorder.answers, indent=1, sort_keys=True) + "\n"
    )
    (FIXTURES / f"{prefix}_client_features.json").write_text(
        json.dumps(client.json(), indent=1, sort_keys=True) + "\n"
    )


if __name__ == "__main__":
    if sys.argv[1] == "seed":
        seed(sys.argv[2], sys.argv[3])
    else:
        record(sys.argv[2], *sys.argv[4:5])
