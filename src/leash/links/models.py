from sqlalchemy import Column, ForeignKey, Index, String, Table, Text

from leash.db.base import UtcDateTime, metadata

# Unleash's feature_link: up to 10 links per flag, ids are ULIDs (their order is creation's).
feature_link = Table(
    "feature_link",
    metadata,
    Column("id", String(26), primary_key=True),
    Column(
        "feature_name",
        String(255),
        ForeignKey("features.name", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("url", Text, nullable=False),
    Column("title", Text, nullable=True),
    Column("domain", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_feature_link_feature_name", "feature_name"),
)
