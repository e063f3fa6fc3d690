from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from leash.config import Settings, sqlalchemy_url


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@h:5432/db", "postgresql+psycopg://u:p@h:5432/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///data/x.db", "sqlite:///data/x.db"),
    ],
)
def test_database_url__unleash_forms__sqlalchemy_url(given: str, expected: str) -> None:
    assert sqlalchemy_url(given) == expected


def test_database_url__unknown_scheme__rejected() -> None:
    with pytest.raises(ValueError, match="DATABASE_URL must start with"):
        sqlalchemy_url("mysql://x/y")


def test_settings__unleash_env_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u@h/db")
    monkeypatch.setenv("PORT", "4300")
    monkeypatch.setenv("INIT_ADMIN_API_TOKENS", "*:*.a, *:*.b")
    monkeypatch.setenv("INIT_CLIENT_API_TOKENS", "*:development.c")
    monkeypatch.setenv("INIT_FRONTEND_API_TOKENS", "default:production.f")
    monkeypatch.setenv("UNLEASH_SEGMENT_VALUES_LIMIT", "10")
    monkeypatch.setenv("UNLEASH_STRATEGY_SEGMENTS_LIMIT", "2")
    monkeypatch.setenv("UNLEASH_SEGMENTS_LIMIT", "3")
    settings = Settings()
    assert settings.database_url == "postgresql+psycopg://u@h/db"
    assert settings.port == 4300
    assert settings.init_admin_api_tokens == ["*:*.a", "*:*.b"]
    assert settings.init_client_api_tokens == ["*:development.c"]
    assert settings.init_frontend_api_tokens == ["default:production.f"]
    assert (
        settings.segment_values_limit,
        settings.strategy_segments_limit,
        settings.segments_limit,
    ) == (
        10,
        2,
        3,
    )


def test_settings__defaults() -> None:
    settings = Settings(_env_file=None)
    assert settings.port == 4242
    assert settings.database_url == "sqlite:///data/leash.db"
    assert (
        settings.segment_values_limit,
        settings.strategy_segments_limit,
        settings.segments_limit,
    ) == (
        1000,
        5,
        300,
    )


def _leash(tmp_path: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "leash.cli", *args],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli__bad_port__exits_with_clear_message(tmp_path: Path) -> None:
    result = _leash(tmp_path, "serve", env={"PORT": "abc"})
    assert result.returncode == 1
    assert "leash: bad configuration: PORT:" in result.stderr


def test_cli__bad_database_url__exits_with_clear_message(tmp_path: Path) -> None:
    result = _leash(tmp_path, "migrate", env={"DATABASE_URL": "mysql://x/y"})
    assert result.returncode == 1
    assert "DATABASE_URL must start with postgres://, postgresql:// or sqlite:///" in result.stderr


def test_cli__migrate_sqlite__creates_database(tmp_path: Path) -> None:
    result = _leash(tmp_path, "migrate", env={"DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "leash: database is up to date"
    assert (tmp_path / "x.db").exists()


@pytest.mark.parametrize(("value", "expected"), [(None, False), ("true", True), ("0", False)])
def test_settings__leash_trust_proxy(
    monkeypatch: pytest.MonkeyPatch, value: str | None, expected: bool
) -> None:
    if value is None:
        monkeypatch.delenv("LEASH_TRUST_PROXY", raising=False)
    else:
        monkeypatch.setenv("LEASH_TRUST_PROXY", value)
    assert Settings().leash_trust_proxy is expected
