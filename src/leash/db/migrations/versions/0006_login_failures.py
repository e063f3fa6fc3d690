"""login_failures: failed logins per account, counted by every worker and instance together

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import leash.db.base

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_attempt_at", leash.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("locked_until", leash.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_failures")),
    )
    op.create_index("ix_login_failures_last_attempt_at", "login_failures", ["last_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_login_failures_last_attempt_at", table_name="login_failures")
    op.drop_table("login_failures")
