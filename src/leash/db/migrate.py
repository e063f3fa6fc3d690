"""Run Alembic migrations programmatically: `leash migrate`, `leash serve` and tests share this."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from leash.config import Settings
from leash.db.engine import create_db_engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(settings: Settings) -> None:
    engine = create_db_engine(settings.database_url, pool_size=1)
    try:
        with engine.connect() as connection:
            config = alembic_config(settings.database_url)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        engine.dispose()
