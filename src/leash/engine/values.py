"""Parsing numbers, dates, versions and IP ranges with yggdrasil's rules.

Two sets of rules apply: a constraint's ``value`` must match yggdrasil's rule grammar (strict;
failure makes the flag fail to compile), while context values are parsed at evaluation time by
Rust's ``f64``/chrono/semver parsers (lenient in places; failure makes the constraint false).

Context values come from public requests (frontend tokens are public), so every parser here is
plain scanning with C-level string methods, linear in the input: no backtracking regex, and no
``int()`` of an unbounded digit string (slow, and an error past 4,300 digits).
"""

from __future__ import annotations

import calendar
import ipaddress
from typing import Final

from leash.engine.errors import CompileError

# A context timestamp is comparable as (whole UTC seconds, nanoseconds); nanoseconds above
# 999_999_999 encode a leap second, as chrono does.
Instant = tuple[int, int]
IpNet = ipaddress.IPv4Network | ipaddress.IPv6Network
IpAddr = ipaddress.IPv4Address | ipaddress.IPv6Address
# A version ordered by semver precedence (build metadata ignored), as yggdrasil compares them:
# (major, minor, patch, 1 for a release or 0 for a pre-release, pre-release identifiers).
# A numeric identifier is (0, its length, its digits): without leading zeros, the longer is the
# larger, so huge ones compare without int(). An alphanumeric one is (1, 0, itself), above any
# numeric one; a shorter list of equal identifiers is lower, as tuples compare.
SemverKey = tuple[int, int, int, int, tuple[tuple[int, int, str], ...]]

_RULE_WS: Final = " \t"
# Python's ASCII \s, which the chrono reading trims.
_ASCII_WS: Final = " \t\n\r\f\v"
_DIGITS: Final = "0123456789"
_IDENTIFIER: Final = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-")
_U64_DIGITS: Final = 20
_MAX_YEAR: Final = 262143
# The longest text an IPv4 or IPv6 address can be written in ("ffff:...:255.255.255.255").
_MAX_IP_TEXT: Final = 45


def _digits(text: str) -> bool:
    """Non-empty and only ASCII 0-9 (``str.isdigit`` alone takes other scripts' digits)."""
    return text.isascii() and text.isdigit()


def rust_unsigned(text: str, *, bits: int) -> int | None:
    """``text.parse::<uN>()`` in Rust: an optional ``+``, digits, no overflow; else ``None``."""
    digits = text[1:] if text.startswith("+") else text
    if not _digits(digits):
        return None
    significant = digits.lstrip("0")
    if len(significant) > _U64_DIGITS:
        return None
    value = int(significant or "0")
    return value if value < 1 << bits else None


def _unsigned_run(text: str, start: int, low: int, high: int) -> tuple[int, int] | None:
    """The ``low``..``high`` ASCII digits at ``start``, not followed by another digit."""
    end = start
    stop = min(len(text), start + high + 1)
    while end < stop and text[end] in _DIGITS:
        end += 1
    if not low <= end - start <= high:
        return None
    return int(text[start:end]), end


def _run_end(text: str, start: int, chars: str) -> int:
    # lstrip is C-level: linear however long the run.
    return len(text) - len(text[start:].lstrip(chars))


def _instant(
    year: int,
    month: int,
    day: int,
    clock: tuple[int, int, int],
    fraction: str,
    offset: tuple[str, int, int],
) -> Instant | None:
    hour, minute, second = clock
    if year > _MAX_YEAR or not 1 <= month <= 12:
        return None
    if not 1 <= day <= calendar.monthrange(2000 if calendar.isleap(year) else 2001, month)[1]:
        return None
    if hour > 23 or minute > 59 or second > 60:
        return None
    nanos = int((fraction + "000000000")[:9]) if fraction else 0
    if second == 60:
        second, nanos = 59, nanos + 1_000_000_000
    sign, off_h, off_m = offset
    if off_h > 23 or off_m > 59:
        return None
    seconds_east = (off_h * 3600 + off_m * 60) * (1 if sign == "+" else -1)
    days = _days_from_civil(year, month, day)
    return (days * 86400 + hour * 3600 + minute * 60 + second - seconds_east, nanos)


def _days_from_civil(year: int, month: int, day: int) -> int:
    # Proleptic Gregorian day number (0 = 1970-01-01); unlike datetime, any year works.
    year -= month <= 2
    era = year // 400
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _chrono_offset(zone: str) -> tuple[str, int, int] | None:
    """``Z``/``z``/``UTC`` (a zero offset), ``±HH:MM`` or ``±HHMM``; ``None`` for anything else."""
    if zone in ("Z", "z", "UTC"):
        return ("+", 0, 0)
    if zone[:1] not in ("+", "-"):
        return None
    body = zone[1:]
    if len(body) == 5 and body[2] == ":":
        hours, minutes = body[:2], body[3:]
    elif len(body) == 4:
        hours, minutes = body[:2], body[2:]
    else:
        return None
    if not (_digits(hours) and _digits(minutes)):
        return None
    return zone[0], int(hours), int(minutes)


def _relaxed_fields(s: str) -> tuple[int, int, int, int, int, int, int] | None:
    """Year, month, day, hour, minute, second of chrono's relaxed reading, and where they end."""
    if (
        len(s) >= 19
        and s[4] == "-"
        and s[7] == "-"
        and s[10] in "Tt"
        and s[13] == ":"
        and s[16] == ":"
        and (s[0:4] + s[5:7] + s[8:10] + s[11:13] + s[14:16] + s[17:19]).isdigit()
    ):
        # the usual shape, fixed widths: read without scanning
        return (
            int(s[0:4]), int(s[5:7]), int(s[8:10]), int(s[11:13]), int(s[14:16]), int(s[17:19]),
            19,
        )  # fmt: skip
    year = _unsigned_run(s, 1, 4, 6) if s.startswith("+") else _unsigned_run(s, 0, 1, 4)
    if year is None or s[year[1] : year[1] + 1] != "-":
        return None
    month = _unsigned_run(s, year[1] + 1, 1, 2)
    if month is None or s[month[1] : month[1] + 1] != "-":
        return None
    day = _unsigned_run(s, month[1] + 1, 1, 2)
    if day is None:
        return None
    at = day[1]
    separator = s[at : at + 1]
    if separator in ("T", "t"):
        at = _run_end(s, at + 1, " ")
    elif separator == " ":
        at = _run_end(s, at, " ")
    else:
        return None
    hour = _unsigned_run(s, at, 1, 2)
    if hour is None or s[hour[1] : hour[1] + 1] != ":":
        return None
    minute = _unsigned_run(s, hour[1] + 1, 1, 2)
    if minute is None or s[minute[1] : minute[1] + 1] != ":":
        return None
    second = _unsigned_run(s, minute[1] + 1, 1, 2)
    if second is None:
        return None
    return year[0], month[0], day[0], hour[0], minute[0], second[0], second[1]


def context_instant(text: str) -> Instant | None:
    """chrono's relaxed RFC 3339 reading: short fields, a ``+`` for long years, spaces around
    the separators and before the offset, ``UTC`` for ``Z``, ASCII whitespace around it all."""
    s = text.strip(_ASCII_WS)
    if not s.isascii():
        return None
    fields = _relaxed_fields(s)
    if fields is None:
        return None
    year, month, day, hour, minute, second, at = fields
    fraction = ""
    if s[at : at + 1] == ".":
        end = _run_end(s, at + 1, _DIGITS)
        if end == at + 1:
            return None
        # only nanoseconds count: digits after the ninth are read, not kept
        fraction = s[at + 1 : min(end, at + 10)]
        at = end
    offset = _chrono_offset(s[at:] if s[at : at + 1] != " " else s[_run_end(s, at, " ") :])
    if offset is None:
        return None
    return _instant(year, month, day, (hour, minute, second), fraction, offset)


_RuleDate = tuple[int, int, int, tuple[int, int, int], str, tuple[str, int, int]]


def _rule_date(text: str) -> _RuleDate | None:
    """The fields of the rule grammar's date, ``YYYY-MM-DDTHH:MM:SS[.mmm](Z|±HH:MM)``."""
    if not text.isascii() or len(text) < 20:
        return None
    if (text[4], text[7], text[10], text[13], text[16]) != ("-", "-", "T", ":", ":"):
        return None
    fields = (text[0:4], text[5:7], text[8:10], text[11:13], text[14:16], text[17:19])
    if not all(_digits(field) for field in fields):
        return None
    rest = text[19:]
    fraction = ""
    if len(rest) >= 4 and rest[0] == "." and _digits(rest[1:4]):
        fraction, rest = rest[1:4], rest[4:]
    if rest == "Z":
        offset = ("+", 0, 0)
    elif len(rest) == 6 and rest[0] in "+-" and rest[3] == ":":
        if not (_digits(rest[1:3]) and _digits(rest[4:6])):
            return None
        offset = (rest[0], int(rest[1:3]), int(rest[4:6]))
    else:
        return None
    year, month, day, hour, minute, second = (int(field) for field in fields)
    return year, month, day, (hour, minute, second), fraction, offset


def _decimal(text: str, *, whole_required: bool) -> bool:
    """``digits[.digits][(e|E)[+-]digits]`` after an optional sign. Rust's f64 also takes
    ``.5`` (``whole_required`` off); both take ``1.``."""
    body = text[1:] if text.startswith(("+", "-")) else text
    if not body.isascii():
        return False
    mantissa, e, exponent = body.lower().partition("e")
    if e and not _digits(exponent[1:] if exponent.startswith(("+", "-")) else exponent):
        return False
    whole, dot, fraction = mantissa.partition(".")
    if not dot:
        return _digits(whole)
    if whole_required and not whole:
        return False
    if fraction and not _digits(fraction):
        return False
    return _digits(whole) if whole else bool(fraction)


def context_number(text: str) -> float | None:
    """Rust's ``f64`` parser: no whitespace or digit separators; ``inf``, ``infinity`` and
    ``nan`` in any ASCII case."""
    if text.isdigit() and text.isascii():
        # plain whole numbers, the usual case, first
        return float(text)
    body = text[1:] if text.startswith(("+", "-")) else text
    if body.isascii() and body.lower() in ("inf", "infinity", "nan"):
        return float(text)
    if not _decimal(text, whole_required=False):
        return None
    # float() is linear however many digits, and rounds as Rust does.
    return float(text)


def _semver_number(text: str) -> int | None:
    # Rust's semver: a u64 without leading zeros.
    if not _digits(text) or (len(text) > 1 and text[0] == "0") or len(text) > _U64_DIGITS:
        return None
    value = int(text)
    return value if value < 1 << 64 else None


def _identifiers(text: str) -> list[str] | None:
    parts = text.split(".")
    if not all(part and _IDENTIFIER.issuperset(part) for part in parts):
        return None
    return parts


def context_semver(text: str) -> SemverKey | None:
    """Rust's ``semver::Version::parse``: ``MAJOR.MINOR.PATCH[-PRE][+BUILD]``, strict."""
    if not text.isascii():
        return None
    main, plus, build = text.partition("+")
    core, dash, pre = main.partition("-")
    numbers = core.split(".", 3)
    if len(numbers) != 3:
        return None
    major, minor, patch = (_semver_number(n) for n in numbers)
    if major is None or minor is None or patch is None:
        return None
    if plus and _identifiers(build) is None:
        return None
    if not dash:
        return (major, minor, patch, 1, ())
    identifiers = _identifiers(pre)
    if identifiers is None:
        return None
    key: list[tuple[int, int, str]] = []
    for identifier in identifiers:
        if identifier.isdigit():
            if len(identifier) > 1 and identifier[0] == "0":
                return None
            key.append((0, len(identifier), identifier))
        else:
            key.append((1, 0, identifier))
    return (major, minor, patch, 0, tuple(key))


def _rule_semver_shape(text: str) -> bool:
    """The rule grammar's version: digits.digits.digits, then ``-`` and ``+`` identifiers."""
    if not text.isascii():
        return False
    main, plus, build = text.partition("+")
    core, dash, pre = main.partition("-")
    numbers = core.split(".", 3)
    if len(numbers) != 3 or not all(_digits(n) for n in numbers):
        return False
    if dash and _identifiers(pre) is None:
        return False
    return not plus or _identifiers(build) is not None


def context_ip(text: str) -> IpAddr | None:
    # Python accepts IPv6 zone ids ("fe80::1%eth0"); Rust's IpAddr does not. No address is
    # written longer than _MAX_IP_TEXT, so longer text is not handed to ipaddress at all.
    if len(text) > _MAX_IP_TEXT or "%" in text:
        return None
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def rule_ip_network(text: str) -> IpNet | None:
    """An ``IPs``/``IN_CIDR`` entry as Rust's ipnetwork reads it; ``None`` if invalid."""
    address, slash, prefix = text.partition("/")
    ip = context_ip(address)
    if ip is None:
        return None
    if not slash:
        return ipaddress.ip_network(ip)
    # ipnetwork reads the prefix as a u8: leading zeros and a "+" are fine, overflow is not.
    length = rust_unsigned(prefix, bits=8)
    if length is None or length > ip.max_prefixlen:
        return None
    return ipaddress.ip_network(f"{ip}/{length}", strict=False)


ValueKind = str  # "date" | "semver" | "number"


def rule_ordinal_value(raw: str) -> tuple[ValueKind, Instant | SemverKey | float]:
    """Classify and parse the ``value`` of a NUM_*/DATE_*/SEMVER_* constraint.

    yggdrasil writes these operators as the same ``<``/``==``/``>`` symbols and lets the
    grammar decide from the value's syntax whether to compare dates, versions or numbers, in
    that order. So ``NUM_GT 1.2.3`` compares versions and ``SEMVER_EQ 1.2`` compares numbers.
    """
    text = raw.strip(_RULE_WS)
    date = _rule_date(text)
    if date is not None:
        instant = _instant(*date)
        if instant is None:
            raise CompileError(f"{raw!r} is not a valid date")
        return "date", instant
    if _rule_semver_shape(text):
        version = context_semver(text)
        if version is None:
            raise CompileError(f"{raw!r} is not a valid semantic version")
        return "semver", version
    if _decimal(text, whole_required=True):
        return "number", float(text)
    raise CompileError(f"{raw!r} is not a number, date or semantic version")
