"""feature_lifecycles: the lifecycle stages each flag entered

Revision ID: 0011
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import leash.db.base

revision: str = "0011"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feature_lifecycles",
        sa.Column("feature", sa.String(length=255), nullable=False),
        sa.Column("stage", sa.String(length=50), nullable=False),
        sa.Column("status", sa.String(length=50), nullable=True),
        sa.Column("status_value", sa.Text(), nullable=True),
        sa.Column("created_at", leash.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["feature"],
            ["features.name"],
            name=op.f("fk_feature_lifecycles_feature_features"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("feature", "stage", name=op.f("pk_feature_lifecycles")),
    )


def downgrade() -> None:
    op.drop_table("feature_lifecycles")
