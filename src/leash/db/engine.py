"""SQLAlchemy engine factory for SQLite (default) and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

CONNECT_TIMEOUT = 5  # seconds


def create_db_engine(url: str, *, pool_size: int = 10) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, database=parsed.database)
    # pool_pre_ping swaps connections a database restart broke for new ones, so leash recovers
    # from an outage by itself; the connect timeout bounds how long a request waits on a
    # database host that has vanished instead of refusing (an explicit URL setting wins).
    connect_args = {} if "connect_timeout" in parsed.query else {"connect_timeout": CONNECT_TIMEOUT}
    # orjson parses the JSON columns (segment constraints above all) several times faster than
    # the standard library, which matters when a snapshot reloads thousands of them.
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=20,
        pool_pre_ping=True,
        connect_args=connect_args,
        json_deserializer=orjson.loads,
    )


def _sqlite_engine(url: str, *, database: str | None) -> Engine:
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 30},
        json_deserializer=orjson.loads,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the driver so we can BEGIN IMMEDIATE below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A deferred transaction that reads, then writes, fails with SQLITE_BUSY instead of
        # waiting when another writer got in between; taking the write lock up front waits.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
