"""Replay the recorded Unleash 7.5.1 scenario (reference.json) in-process against leash.

Passes when >= 95% of the steps give the same status and normalised body as the reference
(steps marked `leash_differs` count as OK when leash gives the declared `leash_status`).
Every mismatch is printed (run with `-rP` or `-s` to see them on success too; set
LEASH_SCENARIO_REPORT=/path/file.txt to also write the report to a file).

Runs on a fresh SQLite database, and on a fresh PostgreSQL database when
LEASH_TEST_DATABASE_URL is set (e.g. postgresql://postgres@127.0.0.1:5432/test): a database
`leash_scn_<random>` is created next to it and dropped afterwards.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
MIN_RATIO = 0.98
PG_ENV = "LEASH_TEST_DATABASE_URL"

pytest.importorskip("fastapi.testclient", reason="fastapi is not installed")
pytest.importorskip("leash.config", reason="leash.config (Settings) does not exist yet")
pytest.importorskip("leash.app", reason="leash.app (create_app) does not exist yet")
_leash_db = pytest.importorskip("leash.db", reason="leash.db does not exist yet")
if not hasattr(_leash_db, "migrate"):
    pytest.skip("leash.db.migrate(settings) does not exist yet", allow_module_level=True)

from fastapi.testclient import TestClient  # noqa: E402

from leash.app import create_app  # noqa: E402
from leash.config import Settings  # noqa: E402

migrate = _leash_db.migrate


def _load(name: str, filename: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, HERE / filename)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


scenario = _load("leash_scenario_compare", "compare.py")


def _settings(database_url: str) -> Settings:
    tokens = scenario.DEFAULT_TOKENS
    return Settings(
        database_url=database_url,
        init_admin_api_tokens=[tokens["admin"]],
        init_client_api_tokens=[tokens["client"]],
        init_frontend_api_tokens=[tokens["frontend"]],
    )


def _pg_urls(base: str, database: str) -> tuple[str, str]:
    """(libpq conninfo of the server's maintenance db, URL of `database`) from the env URL."""
    from sqlalchemy.engine import make_url

    url = make_url(base.replace("postgres://", "postgresql://", 1))
    admin = url.set(drivername="postgresql").render_as_string(hide_password=False)
    target = url.set(drivername="postgresql", database=database)
    return admin, target.render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgres"])
def scenario_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/leash.db"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        if os.environ.get("CI"):
            pytest.fail(f"{PG_ENV} must be set in CI so the PostgreSQL scenario runs")
        pytest.skip(f"{PG_ENV} not set")
    psycopg = pytest.importorskip("psycopg")
    name = f"leash_scn_{uuid.uuid4().hex[:12]}"
    admin, target = _pg_urls(base, name)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield target
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _sender(client: TestClient) -> Any:
    def send(
        method: str, path: str, headers: dict[str, str], body: bytes | None
    ) -> tuple[int, Mapping[str, str], bytes]:
        response = client.request(method, path, headers=headers, content=body)
        return (
            response.status_code,
            {k.lower(): v for k, v in response.headers.items()},
            response.content,
        )

    return send


def test_reference_scenario(scenario_database_url: str, tmp_path: Path) -> None:
    settings = _settings(scenario_database_url)
    migrate(settings)
    reference = scenario.load_reference()
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        actual = scenario.run_steps(_sender(client), honour_delays=False)
    report = scenario.compare_records(reference, actual)
    text = report.summary(verbose=True)
    print(text)
    if os.environ.get("LEASH_SCENARIO_REPORT"):
        Path(os.environ["LEASH_SCENARIO_REPORT"]).write_text(text + "\n")
    assert report.total == len(reference) > 0
    assert report.ratio >= MIN_RATIO, (
        f"only {100 * report.ratio:.1f}% of the reference scenario matches "
        f"(need {100 * MIN_RATIO:.0f}%)\n{text}"
    )
