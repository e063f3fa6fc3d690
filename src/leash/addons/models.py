from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from leash.db.base import BigId, Json, UtcDateTime, metadata

# Unleash's addons table: parameters, events, projects and environments are JSON.
addons = Table(
    "addons",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("provider", String(255), nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("description", Text, nullable=True),
    Column("parameters", Json, nullable=False),
    Column("events", Json, nullable=False),
    Column("projects", Json, nullable=False),
    Column("environments", Json, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    sqlite_autoincrement=True,
)

# Unleash's integration_events: one row per delivery of an event by an addon.
integration_events = Table(
    "integration_events",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column(
        "integration_id",
        Integer,
        ForeignKey("addons.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("created_at", UtcDateTime, nullable=False),
    Column("state", String(255), nullable=False),
    Column("state_details", Text, nullable=False),
    Column("event", Json, nullable=False),
    Column("details", Json, nullable=False),
    Index("ix_integration_events_integration_id", "integration_id"),
    sqlite_autoincrement=True,
)
