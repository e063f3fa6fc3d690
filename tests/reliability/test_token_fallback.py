"""Tokens remembered for database outages (leash.tokens.cache.TokenCache.fallback): they outlive
cache clears, but never a deletion or an expiry, so an outage revives no token."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from leash.config import sqlalchemy_url
from leash.db import create_db_engine
from leash.identity import Principal
from leash.revision import Revision
from leash.secrets import sha256
from leash.tokens import repository
from leash.tokens.cache import TokenCache

SECRET = "*:development.remembered-secret"
DIGEST = sha256(SECRET)
SDK = Principal(kind="client", name="sdk", projects=("*",), environment="development")


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_db_engine(sqlalchemy_url(database_url), pool_size=1)
    with engine.begin() as conn:
        repository.insert(
            conn,
            secret_hash=DIGEST,
            display_prefix="*:development.",
            token_name="sdk",
            type="client",
            environment="development",
            projects=["*"],
        )
    yield engine
    engine.dispose()


def remembered(cache: TokenCache, *, expires_at: datetime | None = None) -> None:
    cache.put(DIGEST, SDK, expires_at=expires_at, generation=cache.generation)


def revision_moves(cache: TokenCache, revision: Revision) -> None:
    """What the revision watcher calls, in its order (SDK views are rebuilt in between)."""
    cache.on_revision(revision)
    cache.recheck_remembered(revision)


def test_fallback__cache_cleared_by_a_change__token_still_answers(engine: Engine) -> None:
    cache = TokenCache(engine)
    remembered(cache)
    revision_moves(cache, Revision(5, 5))
    assert cache.get(DIGEST) is None
    assert cache.fallback(DIGEST) == SDK
    # Once used during an outage, it is served from memory again.
    assert cache.get(DIGEST) == SDK


def test_fallback__token_deleted_then_revision_moves__not_revived(engine: Engine) -> None:
    cache = TokenCache(engine)
    remembered(cache)
    with engine.begin() as conn:
        repository.delete(conn, secret_hash=DIGEST)
    revision_moves(cache, Revision(6, 6))
    assert cache.fallback(DIGEST) is None


def test_fallback__database_says_token_gone__forgotten(engine: Engine) -> None:
    cache = TokenCache(engine)
    remembered(cache)
    cache.forget(DIGEST)
    assert (cache.get(DIGEST), cache.fallback(DIGEST)) == (None, None)


def test_fallback__expired_since__not_answered(engine: Engine) -> None:
    cache = TokenCache(engine)
    remembered(cache, expires_at=datetime.now(UTC) - timedelta(seconds=1))
    assert cache.fallback(DIGEST) is None


def test_fallback__recheck_cannot_reach_database__token_kept() -> None:
    # Port 9 (discard) refuses at once: the recheck fails as in an outage.
    unreachable = create_db_engine(
        sqlalchemy_url("postgresql://postgres@127.0.0.1:9/none"), pool_size=1
    )
    cache = TokenCache(unreachable)
    remembered(cache)
    revision_moves(cache, Revision(7, 7))
    assert cache.fallback(DIGEST) == SDK
    unreachable.dispose()
