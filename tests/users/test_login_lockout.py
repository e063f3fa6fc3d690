"""Login throttling per account, in the database: every worker and instance counts one
account's failures together, whether it is named by username or email, and the lock grows with
consecutive failures. Limited logins get Unleash 8.2's answer (express-rate-limit's 429)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from conftest import make_settings
from leash.app import create_app
from leash.db import create_db_engine
from leash.db.base import utcnow
from leash.limits import RateLimited
from leash.users import sessions
from leash.users.lockouts import login_failures
from support import ADMIN

pytestmark = [pytest.mark.slow]

PASSWORD = "Very-Secret-Pass-123!"
TOO_MANY = "Too many requests, please try again later."
MISMATCH = (
    "The combination of password and username you provided is invalid. If you have forgotten "
    "your password, visit /forgotten-password or get in touch with your instance administrator."
)


class Clock:
    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(sessions, "utcnow", clock)
    return clock


def _user(client: TestClient, username: str, email: str | None = None) -> None:
    body: dict[str, Any] = {"username": username, "rootRole": 2, "password": PASSWORD}
    if email is not None:
        body["email"] = email
    response = client.post("/api/admin/user-admin", headers=ADMIN, json=body)
    assert response.status_code == 201, response.text


def _login(client: TestClient, username: str, password: str = "wrong") -> Any:
    return client.post("/auth/simple/login", json={"username": username, "password": password})


def _fail(client: TestClient, username: str, times: int = 1) -> None:
    for _ in range(times):
        response = _login(client, username)
        assert (response.status_code, response.json()["name"]) == (401, "PasswordMismatch")


def _limited(response: Any, *, retry_after: int) -> None:
    assert (response.status_code, response.text) == (429, TOO_MANY)
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert {k: v for k, v in response.headers.items() if k.startswith(("ratelimit", "retry"))} == {
        "ratelimit-policy": "10;w=3600",
        "ratelimit-limit": "10",
        "ratelimit-remaining": "0",
        "ratelimit-reset": str(retry_after),
        "retry-after": str(retry_after),
    }


def test_login__email_and_username_of_one_account__share_one_count(
    client: TestClient, clock: Clock
) -> None:
    _user(client, "lock-ed", "Lock.Ed@Example.com")
    _fail(client, "lock-ed", 5)
    _fail(client, "lock.ed@example.com", 4)
    _fail(client, "LOCK.ED@EXAMPLE.COM")

    _limited(_login(client, "lock-ed", PASSWORD), retry_after=60)
    _limited(_login(client, "Lock.Ed@Example.com", PASSWORD), retry_after=60)


def test_login__two_apps_on_one_database__share_the_count(
    database_url: str, clock: Clock
) -> None:
    settings = make_settings(database_url)
    with TestClient(create_app(settings)) as first, TestClient(create_app(settings)) as second:
        _user(first, "lock-two")
        _fail(first, "lock-two", 6)
        _fail(second, "lock-two", 4)

        _limited(_login(first, "lock-two", PASSWORD), retry_after=60)
        _limited(_login(second, "lock-two", PASSWORD), retry_after=60)


def test_login__failures_count_down_in_the_headers(client: TestClient, clock: Clock) -> None:
    _user(client, "lock-count")
    remaining = []
    for _ in range(3):
        response = _login(client, "lock-count")
        assert (response.status_code, response.json()) == (
            401,
            {"name": "PasswordMismatch", "message": MISMATCH, "details": [{"message": MISMATCH}]},
        )
        remaining.append(response.headers["ratelimit-remaining"])
        assert response.headers["ratelimit-reset"] == "3600"
    assert remaining == ["9", "8", "7"]


def test_login__success__resets_the_account_count(client: TestClient, clock: Clock) -> None:
    _user(client, "lock-reset")
    for _ in range(3):
        _fail(client, "lock-reset", 9)
        response = _login(client, "lock-reset", PASSWORD)
        assert response.status_code == 200, response.text


def test_login__lock_grows_with_consecutive_failures_up_to_fifteen_minutes(
    client: TestClient, clock: Clock
) -> None:
    _user(client, "lock-grow")
    _fail(client, "lock-grow", 10)
    seen = []
    for _ in range(6):
        response = _login(client, "lock-grow", PASSWORD)
        seen.append((response.status_code, response.headers["retry-after"]))
        clock.advance(seconds=int(response.headers["retry-after"]))
        _fail(client, "lock-grow")  # the one attempt allowed once the lock is over
    assert seen == [
        (429, "60"),
        (429, "120"),
        (429, "240"),
        (429, "480"),
        (429, "900"),
        (429, "900"),
    ]


def test_login__locked_account__right_password_refused_until_the_lock_ends(
    client: TestClient, clock: Clock
) -> None:
    _user(client, "lock-wait")
    _fail(client, "lock-wait", 10)
    clock.advance(seconds=59)
    _limited(_login(client, "lock-wait", PASSWORD), retry_after=1)
    clock.advance(seconds=1)

    response = _login(client, "lock-wait", PASSWORD)

    assert response.status_code == 200
    assert response.headers["ratelimit-remaining"] == "0"
    _fail(client, "lock-wait", 9)  # counted from zero again


def test_login__unknown_names__counted_by_normalised_name(client: TestClient, clock: Clock) -> None:
    _fail(client, "Nobody-Here", 5)
    _fail(client, "  nobody-here ", 5)

    _limited(_login(client, "NOBODY-HERE"), retry_after=60)
    # Another unknown name, and a real account, are counted apart.
    _fail(client, "nobody-else")
    assert _login(client, "admin", "unleash4all").status_code == 200


def test_login__quiet_for_an_hour__count_forgotten_and_rows_dropped(
    client: TestClient, clock: Clock, database_url: str
) -> None:
    _user(client, "lock-quiet")
    _fail(client, "lock-quiet", 9)
    _fail(client, "someone-unknown", 3)
    clock.advance(hours=1, seconds=1)

    _fail(client, "lock-quiet", 9)

    engine = create_db_engine(make_settings(database_url).database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(login_failures.c.failures)).scalars().all()
    finally:
        engine.dispose()
    assert rows == [9]  # the account's fresh count; the unknown name's row is gone


def test_login__parallel_attempts__at_most_ten_checked(database_url: str) -> None:
    """Twenty attempts at once (workers, instances): the lock is taken when the tenth is
    counted, before any password is checked, so the rest are refused unchecked."""
    engine = create_db_engine(make_settings(database_url).database_url)
    with TestClient(create_app(make_settings(database_url))) as client:
        _user(client, "lock-race")
    start = threading.Barrier(20)
    outcomes: list[str] = []

    def attempt() -> None:
        start.wait()
        try:
            with engine.begin() as conn:
                sessions.start_login(conn, username="lock-race")
            outcomes.append("checked")
        except RateLimited:
            outcomes.append("refused")

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with engine.connect() as conn:
            counted = conn.execute(select(func.max(login_failures.c.failures))).scalar_one()
    finally:
        engine.dispose()
    assert (sorted(outcomes), counted) == (["checked"] * 10 + ["refused"] * 10, 10)

