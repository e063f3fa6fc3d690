from sqlalchemy import Column, ForeignKey, String, Table, Text

from leash.db.base import UtcDateTime, metadata

# Unleash's feature_lifecycles: one row per stage a flag entered, the first time it did.
feature_lifecycles = Table(
    "feature_lifecycles",
    metadata,
    Column(
        "feature",
        String(255),
        ForeignKey("features.name", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("stage", String(50), primary_key=True),
    Column("status", String(50), nullable=True),
    Column("status_value", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
)
