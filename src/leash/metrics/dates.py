"""Unleash's `dateSchema` (a date-time string or a number) for SDK bodies: its 400 and its hour.

Unleash checks `bucket.start`, `bucket.stop` and `started` with ajv against
`oneOf: [{type: string, format: date-time}, {type: integer|number}]`, after ajv's type
coercion, and files a metrics report under the hour of `bucket.stop`.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from leash.errors import BadDataError

# ajv-formats' full `date-time`: time zone optional, `T`, `t` or a space between the halves.
DATE_TIME = re.compile(
    r"^(\d\d\d\d)-(\d\d)-(\d\d)[Tt ]([0-2]\d):([0-5]\d):([0-5]\d|60)(\.\d+)?"
    r"([Zz]|[+-]\d\d(?::?\d\d)?)?$"
)


def _as_text(value: Any) -> str:
    """ajv's coercion of a scalar to a string, as shown in its message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _is_date_time(text: str) -> bool:
    match = DATE_TIME.match(text)
    if match is None:
        return False
    year, month, day, hour = (int(match.group(i)) for i in (1, 2, 3, 4))
    if not 1 <= month <= 12 or hour > 23:
        return False
    return 1 <= day <= calendar.monthrange(year, month)[1]


def _is_number(value: Any, *, integer: bool) -> bool:
    if value is None:
        return True  # ajv coerces null to 0
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return value.is_integer() or not integer
    return False


def check(value: Any, *, path: str, number_type: str) -> None:
    """Raise Unleash's three-detail 400 unless `value` is a date-time or a `number_type`."""
    if isinstance(value, str):
        if _is_date_time(value) or re.fullmatch(r"-?\d+", value):
            return
    elif _is_number(value, integer=number_type == "integer"):
        return
    shown = '"' + _as_text(value).replace('"', '\\"') + '"'
    raise BadDataError.many(
        [
            {
                "message": f'The `{path}` property must match format "date-time". '
                f"You sent {shown}.",
                "path": path,
            },
            {
                "message": f"The `{path}` property must be {number_type}. You sent {shown}.",
                "path": path,
            },
            {
                "message": f'The "{path}" property must match exactly one schema in oneOf. '
                "The data you provided matches more than one option in the schema. "
                "These options are mutually exclusive. Please refer back to the schema and "
                "remove any excess properties.",
                "path": path,
            },
        ],
        with_id=True,
    )


def check_registration(body: dict[str, Any]) -> None:
    check(body.get("started"), path="/body/started", number_type="number")


def check_report(body: dict[str, Any]) -> None:
    bucket = body["bucket"]
    check(bucket.get("start"), path="/body/bucket/start", number_type="integer")
    check(bucket.get("stop"), path="/body/bucket/stop", number_type="integer")


def hour_of(value: Any, *, fallback: datetime) -> datetime:
    """The UTC hour a checked date falls in (a number is epoch milliseconds); ``fallback`` for
    a date Python cannot hold (year 0, or beyond 9999, both valid to the schema)."""
    try:
        return _hour_of(value, fallback=fallback)
    except (ValueError, OverflowError, OSError):
        return fallback


def _hour_of(value: Any, *, fallback: datetime) -> datetime:
    moment: datetime | None = None
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
        value = int(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        moment = datetime.fromtimestamp(value / 1000, tz=UTC)
    elif isinstance(value, str) and (match := DATE_TIME.match(value)):
        zone = match.group(8)
        text = value[: match.start(8)] if zone else value
        # Only the hour matters, so a leap second (:60) may count as :59.
        moment = datetime.fromisoformat(text[:10] + "T" + text[11:17] + min(text[17:19], "59"))
        if not zone or zone in ("Z", "z"):
            moment = moment.replace(tzinfo=UTC)
        else:
            sign = 1 if zone[0] == "+" else -1
            digits = zone[1:].replace(":", "")
            offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
            moment = moment.replace(tzinfo=timezone(sign * offset))
    if moment is None:
        return fallback
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
