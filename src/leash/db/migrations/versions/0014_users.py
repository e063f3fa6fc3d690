"""users: reset tokens, used passwords, public sign-up tokens and who signed up with them

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import leash.db.base

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reset_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=True),
        sa.Column("created_at", leash.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", leash.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("used_at", leash.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_reset_tokens_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_reset_tokens")),
    )
    op.create_index("ix_reset_tokens_user", "reset_tokens", ["user_id"])
    op.create_table(
        "used_passwords",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("used_at", leash.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_used_passwords_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_used_passwords")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_used_passwords_user", "used_passwords", ["user_id"])
    op.create_table(
        "public_signup_tokens",
        sa.Column("secret", sa.String(length=255), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=True),
        sa.Column("created_at", leash.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", leash.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["role_id"], ["roles.id"], name=op.f("fk_public_signup_tokens_role_id_roles")
        ),
        sa.PrimaryKeyConstraint("secret", name=op.f("pk_public_signup_tokens")),
    )
    op.create_table(
        "public_signup_tokens_user",
        sa.Column("secret", sa.String(length=255), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", leash.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["secret"],
            ["public_signup_tokens.secret"],
            name=op.f("fk_public_signup_tokens_user_secret_public_signup_tokens"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_public_signup_tokens_user_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("secret", "user_id", name=op.f("pk_public_signup_tokens_user")),
    )


def downgrade() -> None:
    op.drop_table("public_signup_tokens_user")
    op.drop_table("public_signup_tokens")
    op.drop_index("ix_used_passwords_user", table_name="used_passwords")
    op.drop_table("used_passwords")
    op.drop_index("ix_reset_tokens_user", table_name="reset_tokens")
    op.drop_table("reset_tokens")
