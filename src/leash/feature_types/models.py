from sqlalchemy import Column, Integer, String, Table, Text

from leash.db.base import metadata

# Flag types (Unleash's `feature_types`), seeded by the migration; only their lifetime changes.
feature_types = Table(
    "feature_types",
    metadata,
    Column("id", String(255), primary_key=True),
    Column("name", Text, nullable=False),
    Column("description", Text, nullable=False),
    # Days after its creation a flag of this type is potentially stale; None: never.
    Column("lifetime_days", Integer, nullable=True),
    # Unleash lists them in insertion order (no ORDER BY); this keeps that order stable.
    Column("sort_order", Integer, nullable=False),
)
