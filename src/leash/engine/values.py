"""Parsing numbers, dates, versions and IP ranges with yggdrasil's rules.

Two sets of rules apply: a constraint's ``value`` must match yggdrasil's rule grammar (strict;
failure makes the flag fail to compile), while context values are parsed at evaluation time by
Rust's ``f64``/chrono/semver parsers (lenient in places; failure makes the constraint false).
"""

from __future__ import annotations

import calendar
import ipaddress
import re
from typing import Final

import semver

from leash.engine.errors import CompileError

# A context timestamp is comparable as (whole UTC seconds, nanoseconds); nanoseconds above
# 999_999_999 encode a leap second, as chrono does.
Instant = tuple[int, int]
IpNet = ipaddress.IPv4Network | ipaddress.IPv6Network
IpAddr = ipaddress.IPv4Address | ipaddress.IPv6Address

_RULE_WS: Final = " \t"

# Rule grammar, applied to constraint values.
_NUM_RULE: Final = re.compile(r"[+-]?[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?")
_SEMVER_RULE: Final = re.compile(
    r"[0-9]+\.[0-9]+\.[0-9]+"
    r"(?:-[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)?"
    r"(?:\+[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)?"
)
_DATE_RULE: Final = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{3}))?"
    r"(?:(Z)|([+-])([0-9]{2}):([0-9]{2}))"
)

# Rust's f64 parser, applied to context values: no whitespace or digit separators.
_RUST_F64: Final = re.compile(
    r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)",
    re.IGNORECASE,
)
# chrono's relaxed RFC 3339 reading, applied to context values: short fields, a "+" for long
# years, spaces around the separators and the offset, "UTC" for "Z".
_CHRONO_DATE: Final = re.compile(
    r"\s*(\+[0-9]{4,6}|[0-9]{1,4})-([0-9]{1,2})-([0-9]{1,2})(?:[Tt] *| +)"
    r"([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:\.([0-9]+))? *"
    r"(?:([Zz]|UTC)|([+-])([0-9]{2}):?([0-9]{2}))\s*",
    re.ASCII,
)
_MAX_YEAR: Final = 262143
_PREFIX: Final = re.compile(r"\+?[0-9]+")


def _days_from_civil(year: int, month: int, day: int) -> int:
    # Proleptic Gregorian day number (0 = 1970-01-01); unlike datetime, any year works.
    year -= month <= 2
    era = year // 400
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _instant(match: re.Match[str]) -> Instant | None:
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    fraction = match.group(7) or ""
    if year > _MAX_YEAR or not 1 <= month <= 12:
        return None
    if not 1 <= day <= calendar.monthrange(2000 if calendar.isleap(year) else 2001, month)[1]:
        return None
    if hour > 23 or minute > 59 or second > 60:
        return None
    nanos = int((fraction + "000000000")[:9]) if fraction else 0
    if second == 60:
        second, nanos = 59, nanos + 1_000_000_000
    offset = 0
    if match.group(9):
        off_h, off_m = int(match.group(10)), int(match.group(11))
        if off_h > 23 or off_m > 59:
            return None
        offset = (off_h * 3600 + off_m * 60) * (1 if match.group(9) == "+" else -1)
    days = _days_from_civil(year, month, day)
    return (days * 86400 + hour * 3600 + minute * 60 + second - offset, nanos)


def context_instant(text: str) -> Instant | None:
    match = _CHRONO_DATE.fullmatch(text)
    return _instant(match) if match else None


def context_number(text: str) -> float | None:
    if not _RUST_F64.fullmatch(text):
        return None
    return float(text)


def context_semver(text: str) -> semver.Version | None:
    try:
        return semver.Version.parse(text)
    except (ValueError, TypeError):
        return None


def context_ip(text: str) -> IpAddr | None:
    # Python accepts IPv6 zone ids ("fe80::1%eth0"); Rust's IpAddr does not.
    if "%" in text:
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
    if not _PREFIX.fullmatch(prefix):
        return None
    length = int(prefix)
    if length > ip.max_prefixlen:
        return None
    return ipaddress.ip_network(f"{ip}/{length}", strict=False)


ValueKind = str  # "date" | "semver" | "number"


def rule_ordinal_value(raw: str) -> tuple[ValueKind, Instant | semver.Version | float]:
    """Classify and parse the ``value`` of a NUM_*/DATE_*/SEMVER_* constraint.

    yggdrasil writes these operators as the same ``<``/``==``/``>`` symbols and lets the
    grammar decide from the value's syntax whether to compare dates, versions or numbers, in
    that order. So ``NUM_GT 1.2.3`` compares versions and ``SEMVER_EQ 1.2`` compares numbers.
    """
    text = raw.strip(_RULE_WS)
    date = _DATE_RULE.fullmatch(text)
    if date:
        instant = _instant(date)
        if instant is None:
            raise CompileError(f"{raw!r} is not a valid date")
        return "date", instant
    if _SEMVER_RULE.fullmatch(text):
        version = context_semver(text)
        if version is None:
            raise CompileError(f"{raw!r} is not a valid semantic version")
        return "semver", version
    if _NUM_RULE.fullmatch(text):
        return "number", float(text)
    raise CompileError(f"{raw!r} is not a number, date or semantic version")
