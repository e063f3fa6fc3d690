from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
)

from leash.db.base import Json, UtcDateTime, metadata

client_applications = Table(
    "client_applications",
    metadata,
    Column("app_name", String(255), primary_key=True),
    Column("strategies", Json, nullable=False),
    Column("description", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    # Unleash's: who registered it (its system user for SDKs, nobody for an admin's create).
    Column("created_by", Text, nullable=True),
    Column("url", Text, nullable=True),
    Column("color", Text, nullable=True),
    Column("icon", Text, nullable=True),
    Column("seen_at", UtcDateTime, nullable=True),
    # Unleash's: an application-created event is recorded once for it, by the next flush.
    Column("announced", Boolean, nullable=False, server_default="0"),
)

# Which projects (of the token) and environments an application registered with.
client_applications_usage = Table(
    "client_applications_usage",
    metadata,
    Column(
        "app_name",
        String(255),
        ForeignKey("client_applications.app_name", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("project", String(255), primary_key=True),
    Column("environment", String(100), primary_key=True),
)

client_instances = Table(
    "client_instances",
    metadata,
    Column("app_name", String(255), primary_key=True),
    Column("instance_id", String(255), primary_key=True),
    Column("environment", String(255), primary_key=True),
    Column("sdk_version", Text, nullable=True),
    Column("client_ip", Text, nullable=True),
    Column("last_seen", UtcDateTime, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    # 'backend' for an SDK's registration; unset when only its metrics were seen.
    Column("sdk_type", String(32), nullable=True),
)

# One row per flag, application, environment and hour, as Unleash aggregates them.
client_metrics = Table(
    "client_metrics",
    metadata,
    Column("feature_name", String(255), primary_key=True),
    Column("app_name", String(255), primary_key=True),
    Column("environment", String(100), primary_key=True),
    Column("timestamp", UtcDateTime, primary_key=True),
    Column("yes", BigInteger, nullable=False),
    Column("no", BigInteger, nullable=False),
    Column("variants", Json, nullable=False),
    Index("ix_client_metrics_feature_time", "feature_name", "timestamp"),
    # The 48-hour clean-up deletes by time alone.
    Index("ix_client_metrics_time", "timestamp"),
)

# Names SDKs reported metrics for that are no flag, per application and environment (Unleash's
# unknown_flags), kept 24 hours.
unknown_flags = Table(
    "unknown_flags",
    metadata,
    Column("name", String(255), primary_key=True),
    Column("app_name", String(255), primary_key=True),
    Column("environment", String(100), primary_key=True),
    Column("seen_at", UtcDateTime, nullable=False),
)
