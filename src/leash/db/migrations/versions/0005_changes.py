"""changes: what each write changed for SDKs, read by every process to rebuild incrementally

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import leash.db.base

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "changes",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("feature_name", sa.String(length=255), nullable=True),
        sa.Column("segment_id", sa.Integer(), nullable=True),
        sa.Column("created_at", leash.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_changes")),
        # Ids are never reused, so a reader that saw an id never sees it again.
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("changes")
