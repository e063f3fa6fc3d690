"""Errors raised while compiling client-features state."""

from __future__ import annotations


class CompileError(Exception):
    """A definition yggdrasil cannot compile; the flag that uses it is always off."""


class StateError(ValueError):
    """The state handed to the engine is not a client-features body or a delta body."""


def rule_string(raw: str, *, what: str) -> str:
    """Check ``raw`` the way yggdrasil's rule grammar reads a quoted string, and unquote it.

    yggdrasil turns every strategy into rule text with values between double quotes. A value
    that ends with a backslash, or holds a bare double quote, breaks that text and the whole
    flag fails to compile; ``\\"`` reads as a quote.
    """
    if raw.endswith("\\") or '"' in raw.replace('\\"', ""):
        raise CompileError(f"{what} {raw!r} cannot be quoted in a rule")
    return raw.replace('\\"', '"')


def quoted_value(value: str, *, what: str) -> str:
    """Like :func:`rule_string` for values yggdrasil escapes first (list operators, userIds).

    After escaping, only a trailing backslash can still break the rule text.
    """
    if value.endswith("\\"):
        raise CompileError(f"{what} {value!r} ends with a backslash")
    return value
