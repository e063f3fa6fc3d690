"""Public sign-up links and who signed up with them."""

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, Text

from leash.db.base import UtcDateTime, metadata

# Public sign-up links (Unleash's public_signup_tokens): the secret is the link itself, which
# admins read back from the list, so it is kept as Unleash keeps it.
public_signup_tokens = Table(
    "public_signup_tokens",
    metadata,
    Column("secret", String(255), primary_key=True),
    Column("name", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("role_id", Integer, ForeignKey("roles.id"), nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("created_by", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
)

public_signup_tokens_user = Table(
    "public_signup_tokens_user",
    metadata,
    Column(
        "secret",
        String(255),
        ForeignKey("public_signup_tokens.secret", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("created_at", UtcDateTime, nullable=False),
)
