"""Settings, read from the environment under Unleash's own variable names."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_SQLITE_PATH = Path("data") / "leash.db"
# Unleash's default admin password: published in its docs, so only fit for development.
WELL_KNOWN_ADMIN_PASSWORD = "unleash4all"


def _split_secrets(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    """Everything leash can be told. Names match Unleash so a deployment's settings carry over."""

    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    database_url: str = Field(default=f"sqlite:///{DEFAULT_SQLITE_PATH}")
    host: str = Field(default="127.0.0.1", validation_alias="LEASH_HOST")
    port: int = Field(default=4242, ge=1, le=65535)
    # BASE_URI_PATH as in Unleash, e.g. "/unleash"; empty when served at the root.
    base_uri_path: str = Field(default="")
    init_admin_api_tokens: Annotated[list[str], NoDecode] = Field(default_factory=list)
    init_client_api_tokens: Annotated[list[str], NoDecode] = Field(default_factory=list)
    init_frontend_api_tokens: Annotated[list[str], NoDecode] = Field(default_factory=list)
    unleash_segment_values_limit: int = Field(default=1000, ge=1)
    unleash_strategy_segments_limit: int = Field(default=5, ge=1)
    unleash_segments_limit: int = Field(default=300, ge=1)
    # Comma-separated origins allowed to call the frontend API from a browser; empty = CORS off.
    unleash_frontend_api_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Where leash is reached; event summaries link to it, as Unleash's do.
    unleash_url: str = Field(default="http://localhost:4242")
    # Integrations may call loopback, private and link-local addresses (off by default, as
    # Unleash's UNLEASH_ALLOW_PRIVATE_URL_IN_INTEGRATION; LEASH_ADDONS_ALLOW_PRIVATE_URLS too).
    unleash_allow_private_url_in_integration: bool = Field(
        default=False,
        validation_alias=AliasChoices(
            "UNLEASH_ALLOW_PRIVATE_URL_IN_INTEGRATION",
            "LEASH_ADDONS_ALLOW_PRIVATE_URLS",
            "unleash_allow_private_url_in_integration",
        ),
    )
    # The first Admin user, created when the users table is empty (Unleash's defaults).
    unleash_default_admin_username: str = Field(default="admin")
    unleash_default_admin_password: str = Field(default=WELL_KNOWN_ADMIN_PASSWORD, repr=False)
    # Largest request body, in bytes: express.json()'s 100kb default, which Unleash uses.
    leash_max_body_bytes: int = Field(
        default=100 * 1024,
        ge=1,
        validation_alias=AliasChoices("LEASH_MAX_BODY_BYTES", "leash_max_body_bytes"),
    )
    # Bytes of rendered client-features bodies (gzip copies included) and compiled frontend
    # engines one process keeps, least recently used out first (leash.client_api.render_cache).
    leash_render_cache_bytes: int = Field(
        default=128 * 1024 * 1024,
        ge=1,
        validation_alias=AliasChoices("LEASH_RENDER_CACHE_BYTES", "leash_render_cache_bytes"),
    )
    # Seconds between writes of what SDKs registered and reported (leash.metrics.buffer);
    # Unleash writes registrations every 20 s and metrics every 5 s.
    leash_metrics_flush_seconds: float = Field(
        default=5.0,
        gt=0,
        le=3600,
        validation_alias=AliasChoices("LEASH_METRICS_FLUSH_SECONDS", "leash_metrics_flush_seconds"),
    )
    # SDK instances (and flag/environment pairs) one process remembers between two writes;
    # past it, new ones are dropped until the next write.
    leash_metrics_buffer_max_keys: int = Field(
        default=10_000,
        ge=1,
        validation_alias=AliasChoices(
            "LEASH_METRICS_BUFFER_MAX_KEYS", "leash_metrics_buffer_max_keys"
        ),
    )
    # Requests a minute per client address (Unleash's metricsRateLimiting, default 6000). Unleash
    # reads the two client limits from each other's variable (create-config.js); the same
    # variables mean the same here, so an Unleash deployment's settings carry over.
    client_metrics_max_per_minute: int = Field(
        default=6000,
        ge=1,
        validation_alias=AliasChoices(
            "REGISTER_CLIENT_RATE_LIMIT_PER_MINUTE", "client_metrics_max_per_minute"
        ),
    )
    client_register_max_per_minute: int = Field(
        default=6000,
        ge=1,
        validation_alias=AliasChoices(
            "CLIENT_METRICS_RATE_LIMIT_PER_MINUTE", "client_register_max_per_minute"
        ),
    )
    frontend_metrics_max_per_minute: int = Field(
        default=6000,
        ge=1,
        validation_alias=AliasChoices(
            "FRONTEND_METRICS_RATE_LIMIT_PER_MINUTE", "frontend_metrics_max_per_minute"
        ),
    )
    frontend_register_max_per_minute: int = Field(
        default=6000,
        ge=1,
        validation_alias=AliasChoices(
            "REGISTER_FRONTEND_RATE_LIMIT_PER_MINUTE", "frontend_register_max_per_minute"
        ),
    )
    # Behind a reverse proxy that terminates TLS: believe its X-Forwarded-Proto for the session
    # cookie's Secure flag and for the scheme of leash's own origin (cross-site checks). Off by
    # default: a client talking to leash directly could otherwise claim any scheme.
    leash_trust_proxy: bool = Field(
        default=False, validation_alias=AliasChoices("LEASH_TRUST_PROXY", "leash_trust_proxy")
    )
    # "development" (the default) or anything else, e.g. "production"; NODE_ENV as in Unleash.
    leash_env: str = Field(
        default="development", validation_alias=AliasChoices("LEASH_ENV", "NODE_ENV", "leash_env")
    )

    _split = field_validator(
        "init_admin_api_tokens",
        "init_client_api_tokens",
        "init_frontend_api_tokens",
        "unleash_frontend_api_origins",
        mode="before",
    )(_split_secrets)

    @model_validator(mode="after")
    def _no_well_known_password_outside_development(self) -> Settings:
        if (
            self.leash_env.strip().lower() != "development"
            and self.unleash_default_admin_password == WELL_KNOWN_ADMIN_PASSWORD
        ):
            raise ValueError(
                f"LEASH_ENV is {self.leash_env!r} but UNLEASH_DEFAULT_ADMIN_PASSWORD is Unleash's "
                "well-known default; set UNLEASH_DEFAULT_ADMIN_PASSWORD to a password of your own"
            )
        return self

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        return sqlalchemy_url(value)

    @property
    def segment_values_limit(self) -> int:
        return self.unleash_segment_values_limit

    @property
    def strategy_segments_limit(self) -> int:
        return self.unleash_strategy_segments_limit

    @property
    def segments_limit(self) -> int:
        return self.unleash_segments_limit

    @property
    def base_path(self) -> str:
        return self.base_uri_path.rstrip("/")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def sqlalchemy_url(url: str) -> str:
    """Turn an Unleash-style DATABASE_URL into the SQLAlchemy URL of the driver we ship."""
    url = url.strip()
    for prefix in ("postgres://", "postgresql://", "postgresql+psycopg://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    if url.startswith("sqlite:///") or url == "sqlite://":
        return url
    raise ValueError(
        "DATABASE_URL must start with postgres://, postgresql:// or sqlite:/// "
        f"(got {url.split('://', 1)[0] + '://' if '://' in url else 'no scheme'})"
    )
