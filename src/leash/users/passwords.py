"""Passwords: argon2 hashes, and the OWASP strength test Unleash runs on new ones."""

from __future__ import annotations

import secrets
import string

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from leash.errors import OwaspValidationError

_hasher = PasswordHasher()
# Verified against when the login names nobody, so a wrong username costs as much time as a
# wrong password and does not reveal which usernames exist.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """argon2's verify compares in constant time; a user without a password never matches."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# The library's patterns are ASCII classes; plain loops keep the test linear in the password.
_LOWER = frozenset(string.ascii_lowercase)
_UPPER = frozenset(string.ascii_uppercase)
_DIGITS = frozenset(string.digits)
_ALNUM = _LOWER | _UPPER | _DIGITS


def _repeats_three_times(password: str) -> bool:
    """/(.)\\1{2,}/: one character three times in a row (`.` is any but a newline)."""
    return any(
        password[i] == password[i + 1] == password[i + 2] != "\n" for i in range(len(password) - 2)
    )


def password_problems(password: str) -> list[str]:
    """The OWASP strength test Unleash runs (owasp-password-strength-test, all tests required)."""
    problems = []
    if len(password) < 10:
        problems.append("The password must be at least 10 characters long.")
    if len(password) > 128:
        problems.append("The password must be fewer than 128 characters.")
    if _repeats_three_times(password):
        problems.append(
            "The password may not contain sequences of three or more repeated characters."
        )
    if not any(c in _LOWER for c in password):
        problems.append("The password must contain at least one lowercase letter.")
    if not any(c in _UPPER for c in password):
        problems.append("The password must contain at least one uppercase letter.")
    if not any(c in _DIGITS for c in password):
        problems.append("The password must contain at least one number.")
    if all(c in _ALNUM for c in password):
        problems.append("The password must contain at least one special character.")
    return problems


def check_password(password: str) -> None:
    problems = password_problems(password)
    if problems:
        raise OwaspValidationError(problems)
