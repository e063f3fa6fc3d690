"""access control: roles, users, project role assignments, personal access tokens, sessions

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import leash.db.base

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Unleash's built-in roles, with its ids and wording. What each role may do lives in code
# (leash.users.roles): the permission sets are fixed by the product, not editable data.
ROLES = [
    (
        1,
        "Admin",
        "root",
        "Users with the root admin role have superuser access to Unleash and can perform any "
        "operation within the Unleash platform.",
    ),
    (
        2,
        "Editor",
        "root",
        "Users with the root editor role have access to most features in Unleash, but can not "
        "manage users and roles in the root scope. Editors will be added as project owners when "
        "creating projects and get superuser rights within the context of these projects. Users "
        "with the editor role will also get access to most permissions on the default project by "
        "default.",
    ),
    (
        3,
        "Viewer",
        "root",
        "Users with the root viewer role can only read root resources in Unleash. Viewers can be "
        "added to specific projects as project members. Users with the viewer role may not view "
        "API tokens.",
    ),
    (
        4,
        "Owner",
        "project",
        "Users with the project owner role have full control over the project, and can add and "
        "manage other users within the project context, manage feature flags within the project, "
        "and control advanced project features like archiving and deleting the project.",
    ),
    (
        5,
        "Member",
        "project",
        "Users with the project member role are allowed to view, create, and update feature "
        "flags within a project, but have limited permissions in regards to managing the "
        "project's user access and can not archive or delete the project.",
    ),
]


def upgrade() -> None:
    roles = op.create_table(
        "roles",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roles")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=255), nullable=True),
        sa.Column("email", sa.String(length=255), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("root_role_id", sa.Integer(), nullable=False),
        sa.Column("login_attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("seen_at", leash.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", leash.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["root_role_id"], ["roles.id"], name=op.f("fk_users_root_role_id_roles")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name="uq_users_username"),
        sa.UniqueConstraint("email", name="uq_users_email"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "role_user",
        sa.Column("role_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("project", sa.String(length=255), nullable=False),
        sa.Column("created_at", leash.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["role_id"], ["roles.id"], name=op.f("fk_role_user_role_id_roles"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_role_user_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["project"],
            ["projects.id"],
            name=op.f("fk_role_user_project_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("role_id", "user_id", "project", name=op.f("pk_role_user")),
    )
    op.create_index("ix_role_user_user", "role_user", ["user_id"])
    op.create_table(
        "personal_access_tokens",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("expires_at", leash.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("created_at", leash.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("seen_at", leash.db.base.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_personal_access_tokens_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personal_access_tokens")),
        sa.UniqueConstraint("secret_hash", name="uq_personal_access_tokens_secret_hash"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_personal_access_tokens_user", "personal_access_tokens", ["user_id"])
    op.create_table(
        "sessions",
        sa.Column("sid_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", leash.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", leash.db.base.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sessions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("sid_hash", name=op.f("pk_sessions")),
    )
    op.create_index("ix_sessions_user", "sessions", ["user_id"])
    op.bulk_insert(
        roles,
        [
            {"id": id, "name": name, "type": type, "description": description}
            for id, name, type, description in ROLES
        ],
    )


def downgrade() -> None:
    op.drop_index("ix_sessions_user", table_name="sessions")
    op.drop_table("sessions")
    op.drop_index("ix_personal_access_tokens_user", table_name="personal_access_tokens")
    op.drop_table("personal_access_tokens")
    op.drop_index("ix_role_user_user", table_name="role_user")
    op.drop_table("role_user")
    op.drop_table("users")
    op.drop_table("roles")
