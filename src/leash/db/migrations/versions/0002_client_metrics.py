"""client applications, instances and metrics

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import leash.db.base

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "client_applications",
        sa.Column("app_name", sa.String(length=255), nullable=False),
        sa.Column("strategies", leash.db.base.Json, nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_at", leash.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", leash.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("app_name", name=op.f("pk_client_applications")),
    )
    op.create_table(
        "client_instances",
        sa.Column("app_name", sa.String(length=255), nullable=False),
        sa.Column("instance_id", sa.String(length=255), nullable=False),
        sa.Column("environment", sa.String(length=255), nullable=False),
        sa.Column("sdk_version", sa.Text(), nullable=True),
        sa.Column("client_ip", sa.Text(), nullable=True),
        sa.Column("last_seen", leash.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("created_at", leash.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "app_name", "instance_id", "environment", name=op.f("pk_client_instances")
        ),
    )
    op.create_table(
        "client_metrics",
        sa.Column("feature_name", sa.String(length=255), nullable=False),
        sa.Column("app_name", sa.String(length=255), nullable=False),
        sa.Column("environment", sa.String(length=100), nullable=False),
        sa.Column("timestamp", leash.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("yes", sa.BigInteger(), nullable=False),
        sa.Column("no", sa.BigInteger(), nullable=False),
        sa.Column("variants", leash.db.base.Json, nullable=False),
        sa.PrimaryKeyConstraint(
            "feature_name", "app_name", "environment", "timestamp", name=op.f("pk_client_metrics")
        ),
    )
    op.create_index(
        "ix_client_metrics_feature_time", "client_metrics", ["feature_name", "timestamp"]
    )


def downgrade() -> None:
    op.drop_index("ix_client_metrics_feature_time", table_name="client_metrics")
    op.drop_table("client_metrics")
    op.drop_table("client_instances")
    op.drop_table("client_applications")
