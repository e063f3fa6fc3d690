from sqlalchemy import Column, String, Table

from leash.db.base import Json, metadata

# Unleash's `settings`: one JSON value per name (maintenance mode's is "maintenance.mode").
settings = Table(
    "settings",
    metadata,
    Column("name", String(255), primary_key=True),
    Column("content", Json, nullable=False),
)
