from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from leash.db.base import Json, UtcDateTime, metadata

features = Table(
    "features",
    metadata,
    Column("name", String(255), primary_key=True),
    Column("project", String(255), ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("type", String(100), nullable=False, server_default="release"),
    Column("description", Text, nullable=True),
    Column("stale", Boolean, nullable=False, server_default="0"),
    Column("impression_data", Boolean, nullable=False, server_default="0"),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", Text, nullable=True),
    Column("created_by_user_id", Integer, nullable=True),
    Column("archived_at", UtcDateTime, nullable=True),
    Column("last_seen_at", UtcDateTime, nullable=True),
    # Unleash's: set by the minutely staleness job (feature_types.staleness), NULL until then.
    Column("potentially_stale", Boolean, nullable=True, server_default="0"),
)

feature_environments = Table(
    "feature_environments",
    metadata,
    Column(
        "feature_name",
        String(255),
        ForeignKey("features.name", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "environment",
        String(100),
        ForeignKey("environments.name", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("enabled", Boolean, nullable=False, server_default="0"),
    Column("variants", Json, nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=True),
)

feature_strategies = Table(
    "feature_strategies",
    metadata,
    Column("id", String(64), primary_key=True),
    Column(
        "feature_name",
        String(255),
        ForeignKey("features.name", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("project_name", String(255), nullable=False),
    Column(
        "environment",
        String(100),
        ForeignKey("environments.name", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("strategy_name", String(255), nullable=False),
    Column("title", Text, nullable=True),
    Column("disabled", Boolean, nullable=False, server_default="0"),
    Column("parameters", Json, nullable=False),
    Column("constraints", Json, nullable=False),
    Column("variants", Json, nullable=False),
    Column("sort_order", Integer, nullable=False, server_default="9999"),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by_user_id", Integer, nullable=True),
    Index("ix_feature_strategies_feature_env", "feature_name", "environment"),
)

feature_strategy_segment = Table(
    "feature_strategy_segment",
    metadata,
    Column(
        "feature_strategy_id",
        String(64),
        ForeignKey("feature_strategies.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "segment_id",
        Integer,
        ForeignKey("segments.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_feature_strategy_segment_segment", "segment_id"),
)

feature_dependencies = Table(
    "feature_dependencies",
    metadata,
    Column("parent", String(255), primary_key=True),
    Column("child", String(255), primary_key=True),
    Column("enabled", Boolean, nullable=False, server_default="1"),
    Column("variants", Json, nullable=True),
    ForeignKeyConstraint(["parent"], ["features.name"], ondelete="CASCADE"),
    ForeignKeyConstraint(["child"], ["features.name"], ondelete="CASCADE"),
)

feature_tags = Table(
    "feature_tags",
    metadata,
    Column(
        "feature_name",
        String(255),
        ForeignKey("features.name", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("tag_type", String(255), primary_key=True),
    Column("tag_value", String(255), primary_key=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by_user_id", Integer, nullable=True),
    # The tag must exist (leash.tags.models); deleting it, or its type, untags the flags.
    ForeignKeyConstraint(
        ["tag_type", "tag_value"], ["tags.type", "tags.value"], ondelete="CASCADE"
    ),
)
