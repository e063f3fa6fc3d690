from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, Text

from leash.db.base import Json, UtcDateTime, metadata

projects = Table(
    "projects",
    metadata,
    Column("id", String(255), primary_key=True),
    Column("name", Text, nullable=False),
    Column("description", Text, nullable=True),
    Column("mode", String(32), nullable=False, server_default="open"),
    Column("created_at", UtcDateTime, nullable=False),
)

environments = Table(
    "environments",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("type", String(100), nullable=False),
    Column("enabled", Boolean, nullable=False, server_default="1"),
    Column("protected", Boolean, nullable=False, server_default="0"),
    Column("sort_order", Integer, nullable=False, server_default="9999"),
    Column("created_at", UtcDateTime, nullable=False),
)

project_environments = Table(
    "project_environments",
    metadata,
    Column(
        "project_id", String(255), ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    ),
    Column(
        "environment_name",
        String(100),
        ForeignKey("environments.name", ondelete="CASCADE"),
        primary_key=True,
    ),
    # Unleash's createFeatureStrategySchema as set by addDefaultStrategyToProjectEnvironment.
    Column("default_strategy", Json, nullable=True),
)
