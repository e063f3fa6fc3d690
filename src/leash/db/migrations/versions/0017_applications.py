"""applications as Unleash 8.2 keeps them: url, color, icon, creator, usage per project and
environment, announced once; instances' SDK type; client metrics indexed by time for the
48-hour clean-up; unknown flags SDKs reported

Revision ID: 0017
Revises: 0016
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import leash.db.base

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("client_applications") as batch:
        batch.add_column(sa.Column("created_by", sa.Text(), nullable=True))
        batch.add_column(sa.Column("url", sa.Text(), nullable=True))
        batch.add_column(sa.Column("color", sa.Text(), nullable=True))
        batch.add_column(sa.Column("icon", sa.Text(), nullable=True))
        batch.add_column(
            sa.Column("seen_at", leash.db.base.UtcDateTime(timezone=True), nullable=True)
        )
        batch.add_column(sa.Column("announced", sa.Boolean(), server_default="0", nullable=False))
    with op.batch_alter_table("client_instances") as batch:
        batch.add_column(sa.Column("sdk_type", sa.String(length=32), nullable=True))
    op.create_table(
        "client_applications_usage",
        sa.Column("app_name", sa.String(length=255), nullable=False),
        sa.Column("project", sa.String(length=255), nullable=False),
        sa.Column("environment", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_name"],
            ["client_applications.app_name"],
            name=op.f("fk_client_applications_usage_app_name_client_applications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "app_name", "project", "environment", name=op.f("pk_client_applications_usage")
        ),
    )
    op.create_index("ix_client_metrics_time", "client_metrics", ["timestamp"])
    op.create_table(
        "unknown_flags",
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("app_name", sa.String(length=255), nullable=False),
        sa.Column("environment", sa.String(length=100), nullable=False),
        sa.Column("seen_at", leash.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", "app_name", "environment", name=op.f("pk_unknown_flags")),
    )


def downgrade() -> None:
    op.drop_table("unknown_flags")
    op.drop_index("ix_client_metrics_time", table_name="client_metrics")
    op.drop_table("client_applications_usage")
    with op.batch_alter_table("client_instances") as batch:
        batch.drop_column("sdk_type")
    with op.batch_alter_table("client_applications") as batch:
        for column in ("announced", "seen_at", "icon", "color", "url", "created_by"):
            batch.drop_column(column)
