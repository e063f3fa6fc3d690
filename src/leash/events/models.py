from sqlalchemy import Column, Index, Integer, String, Table, Text

from leash.db.base import BigId, Json, UtcDateTime, metadata

events = Table(
    "events",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("type", String(255), nullable=False),
    Column("created_by", Text, nullable=False),
    Column("created_by_user_id", Integer, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("data", Json, nullable=True),
    Column("pre_data", Json, nullable=True),
    Column("feature_name", String(255), nullable=True),
    Column("project", String(255), nullable=True),
    Column("environment", String(100), nullable=True),
    Column("tags", Json, nullable=False),
    Column("ip", String(255), nullable=True),
    Column("group_type", String(255), nullable=True),
    Column("group_id", String(255), nullable=True),
    Index("ix_events_project", "project"),
    Index("ix_events_feature_name", "feature_name"),
    sqlite_autoincrement=True,
)
