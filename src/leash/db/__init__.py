"""Database access: engine factory, metadata and migrations."""

from leash.db.engine import create_db_engine
from leash.db.migrate import migrate

__all__ = ["create_db_engine", "migrate"]
