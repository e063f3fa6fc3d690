"""change_readers: what each process has applied of the change log, so the log can be pruned

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_readers",
        sa.Column("instance_id", sa.String(length=64), nullable=False),
        sa.Column("applied_id", sa.BigInteger(), nullable=False),
        sa.Column("heartbeat_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("instance_id", name=op.f("pk_change_readers")),
    )


def downgrade() -> None:
    op.drop_table("change_readers")
