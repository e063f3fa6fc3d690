"""Users, roles, project role assignments, personal access tokens and login sessions."""

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from leash.db.base import UtcDateTime, metadata

roles = Table(
    "roles",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("name", String(255), nullable=False),
    # "root" (Admin, Editor, Viewer) or "project" (Owner, Member), as Unleash types them.
    Column("type", String(32), nullable=False),
    Column("description", Text, nullable=True),
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(255), nullable=True),
    Column("email", String(255), nullable=True),
    Column("name", Text, nullable=True),
    # argon2id hash; NULL for a user who has no password yet.
    Column("password_hash", Text, nullable=True),
    Column("root_role_id", Integer, ForeignKey("roles.id"), nullable=False),
    Column("login_attempts", Integer, nullable=False, server_default="0"),
    Column("seen_at", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("username", name="uq_users_username"),
    UniqueConstraint("email", name="uq_users_email"),
    # Ids are never reused after a delete: events keep pointing at who did what.
    sqlite_autoincrement=True,
)

role_user = Table(
    "role_user",
    metadata,
    Column("role_id", Integer, ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "project",
        String(255),
        ForeignKey("projects.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_role_user_user", "user_id"),
)

personal_access_tokens = Table(
    "personal_access_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # sha256 of the whole `user:<hex>` secret; the secret itself is never stored.
    Column("secret_hash", String(64), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("description", Text, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("seen_at", UtcDateTime, nullable=True),
    UniqueConstraint("secret_hash", name="uq_personal_access_tokens_secret_hash"),
    Index("ix_personal_access_tokens_user", "user_id"),
    sqlite_autoincrement=True,
)

sessions = Table(
    "sessions",
    metadata,
    # sha256 of the cookie value: a stolen database copy gives no usable session.
    Column("sid_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Index("ix_sessions_user", "user_id"),
)

# Password reset and new-user tokens (Unleash's reset_tokens): only a digest of the token is
# kept, so a copy of the database resets nobody's password.
reset_tokens = Table(
    "reset_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    # "reset" (a reset link an admin or the user asked for) or "invite" (a new user's link).
    Column("purpose", String(16), nullable=False),
    Column("created_by", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime, nullable=True),
    Index("ix_reset_tokens_user", "user_id"),
)

# The last passwords each user had (argon2 hashes), so a change cannot go back to one of them.
used_passwords = Table(
    "used_passwords",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("used_at", UtcDateTime, nullable=False),
    Index("ix_used_passwords_user", "user_id"),
    sqlite_autoincrement=True,
)
