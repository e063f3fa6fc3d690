"""JSON-schema string formats as Unleash's ajv-formats checks them, and leash's date bounds.

Linear in the input: RE2 patterns and plain parsing, never Python `re` (request input).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Final

import re2

_DATE: Final = re2.compile(r"^(\d\d\d\d)-(\d\d)-(\d\d)$")
_DAYS: Final = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_TIME: Final = re2.compile(r"^(\d\d):(\d\d):(\d\d)(\.\d+)?([Zz]|([+-])(\d\d)(?::?(\d\d))?)?$")
# JavaScript's \s, which ajv-formats splits a date-time on (with `t` and `T`).
_JS_SPACE: Final = frozenset(
    "\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff"
    + "".join(chr(c) for c in range(0x2000, 0x200B))
)


def _halves(text: str) -> tuple[str, str] | None:
    parts: list[str] = []
    start = 0
    for index, char in enumerate(text):
        if char in "tT" or char in _JS_SPACE:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return (parts[0], parts[1]) if len(parts) == 2 else None


def _is_date(text: str) -> bool:
    match = _DATE.match(text)
    if match is None:
        return False
    year, month, day = (int(match.group(i)) for i in (1, 2, 3))
    if not 1 <= month <= 12:
        return False
    # calendar.isleap counts year 0 as a leap year, as ajv-formats does
    days = 29 if month == 2 and calendar.isleap(year) else _DAYS[month]
    return 1 <= day <= days


def _is_time(text: str) -> bool:
    match = _TIME.match(text)
    if match is None:
        return False
    hour, minute, second = (int(match.group(i)) for i in (1, 2, 3))
    sign = -1 if match.group(6) == "-" else 1
    zone_hour, zone_minute = int(match.group(7) or 0), int(match.group(8) or 0)
    if zone_hour > 23 or zone_minute > 59:
        return False
    if hour <= 23 and minute <= 59 and second < 60:
        return True
    # a leap second: 23:59:60 in UTC only
    utc_minute = minute - zone_minute * sign
    utc_hour = hour - zone_hour * sign - (1 if utc_minute < 0 else 0)
    return utc_hour in (23, -1) and utc_minute in (59, -1) and second < 61


def is_date_time(text: str) -> bool:
    """ajv-formats' `date-time` (full mode, time zone optional); any length of fraction, as
    its pattern: reading is linear (RE2, one pass), and bodies are capped at 100 KiB."""
    halves = _halves(text)
    return halves is not None and _is_date(halves[0]) and _is_time(halves[1])


EARLIEST: Final = datetime.min.replace(tzinfo=UTC)
LATEST: Final = datetime.max.replace(tzinfo=UTC)


def to_datetime(text: str) -> datetime | None:
    """A checked date-time as an aware UTC datetime; None when Python cannot hold it (before
    year 1 or after 9999 in UTC). No zone means UTC; a leap second counts as second 59."""
    halves = _halves(text) if is_date_time(text) else None
    if halves is None:
        return None
    date_match, time_match = _DATE.match(halves[0]), _TIME.match(halves[1])
    assert date_match is not None and time_match is not None
    year, month, day = (int(date_match.group(i)) for i in (1, 2, 3))
    hour, minute, second = (int(time_match.group(i)) for i in (1, 2, 3))
    fraction = (time_match.group(4) or ".")[1:]
    microsecond = int((fraction + "000000")[:6])
    zone = time_match.group(5)
    offset = timedelta(0)
    if zone and zone not in "Zz":
        sign = -1 if time_match.group(6) == "-" else 1
        offset = sign * timedelta(
            hours=int(time_match.group(7)), minutes=int(time_match.group(8) or 0)
        )
    try:
        local = datetime(year, month, day, hour, minute, min(second, 59), microsecond)
        # Convert through naive arithmetic: aware conversions overflow at the edges of time.
        utc = local - offset
    except (ValueError, OverflowError):
        return None
    return utc.replace(tzinfo=UTC)


def _js_iso(moment: datetime) -> str:
    return (
        f"{moment.year:04d}-"
        + moment.strftime("%m-%dT%H:%M:%S.")
        + (f"{moment.microsecond // 1000:03d}Z")
    )


STORABLE_DATE_TIME: Final = (
    f"must be a date-time from {_js_iso(EARLIEST)} to {_js_iso(LATEST)} (the dates leash can store)"
)

# format name -> check; a string the check refuses gets ajv's 'must match format "<name>"'.
FORMATS: Final[dict[str, Callable[[str], bool]]] = {"date-time": is_date_time}
