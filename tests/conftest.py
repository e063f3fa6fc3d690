"""Every API test runs against a freshly migrated SQLite database and, when
LEASH_TEST_DATABASE_URL is set (CI always sets it), a fresh PostgreSQL database."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from leash.app import create_app
from leash.config import Settings, sqlalchemy_url
from leash.db import migrate
from support import ADMIN_SECRET, CLIENT_SECRET, FRONTEND_SECRET

PG_ENV = "LEASH_TEST_DATABASE_URL"


def _pg_admin_conninfo(url: str) -> str:
    parsed = make_url(sqlalchemy_url(url))
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def _pg_url_for(url: str, database: str) -> str:
    parsed = make_url(sqlalchemy_url(url)).set(database=database)
    return parsed.render_as_string(hide_password=False)


class Databases:
    """Makes fresh migrated databases quickly by copying a migrated template."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.sqlite_template: Path | None = None
        self.pg_template: str | None = None
        self.pg_created: list[str] = []
        self.tag = uuid.uuid4().hex[:8]

    def sqlite(self) -> str:
        if self.sqlite_template is None:
            self.sqlite_template = self.tmp / "template.db"
            migrate(Settings(database_url=f"sqlite:///{self.sqlite_template}"))
        target = self.tmp / f"{uuid.uuid4().hex}.db"
        shutil.copyfile(self.sqlite_template, target)
        return f"sqlite:///{target}"

    def _pg(self, sql: str) -> None:
        base = os.environ[PG_ENV]
        with psycopg.connect(_pg_admin_conninfo(base), autocommit=True) as conn:
            conn.execute(sql)

    def postgres(self) -> str:
        base = os.environ[PG_ENV]
        if self.pg_template is None:
            name = f"leash_tpl_{self.tag}"
            self._pg(f'CREATE DATABASE "{name}"')
            self.pg_created.append(name)
            migrate(Settings(database_url=_pg_url_for(base, name)))
            self.pg_template = name
        name = f"leash_t_{self.tag}_{uuid.uuid4().hex[:10]}"
        self._pg(f'CREATE DATABASE "{name}" TEMPLATE "{self.pg_template}"')
        self.pg_created.append(name)
        return _pg_url_for(base, name)

    def drop(self, url: str) -> None:
        database = make_url(url).database
        if database in self.pg_created:
            self._pg(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            self.pg_created.remove(database)

    def close(self) -> None:
        for name in list(reversed(self.pg_created)):
            self._pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    dbs = Databases(tmp_path_factory.mktemp("leash-db"))
    yield dbs
    if os.environ.get(PG_ENV):
        dbs.close()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, databases: Databases) -> Iterator[str]:
    if request.param == "postgres":
        if not os.environ.get(PG_ENV):
            if os.environ.get("CI"):
                pytest.fail(f"{PG_ENV} must be set in CI so the PostgreSQL suite runs")
            pytest.skip(f"{PG_ENV} not set")
        url = databases.postgres()
        yield url
        databases.drop(url)
    else:
        yield databases.sqlite()


def make_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "init_admin_api_tokens": [ADMIN_SECRET],
        "init_client_api_tokens": [CLIENT_SECRET],
        "init_frontend_api_tokens": [FRONTEND_SECRET],
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client
