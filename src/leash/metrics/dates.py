"""Unleash's `dateSchema` (a date-time string or a number) for SDK bodies: its 400 and its hour.

Unleash checks `bucket.start`, `bucket.stop` and `started` with ajv against
`oneOf: [{type: string, format: date-time}, {type: integer|number}]`, after ajv's type
coercion, and files a metrics report under the hour of `bucket.stop`. `registration` and
`report` check the bodies that carry them, as the SDK operations declare.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from leash import formats
from leash.errors import BadDataError
from leash.metrics import schemas
from leash.metrics.schemas import ClientApplication, ClientMetrics
from leash.validation import validate


def _as_text(value: Any) -> str:
    """ajv's coercion of a scalar to a string, as shown in its message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _is_integer_text(text: str) -> bool:
    """/^-?\\d+$/ without a regex (ASCII digits, as JavaScript's \\d)."""
    digits = text[1:] if text.startswith("-") else text
    return bool(digits) and all("0" <= c <= "9" for c in digits)


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
        if formats.is_date_time(value) or _is_integer_text(value):
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


def registration(value: Any) -> ClientApplication:
    """A registration checked as Unleash checks schemas.CLIENT_APPLICATION (the operations'
    body check)."""
    body: ClientApplication = validate(value, schemas.CLIENT_APPLICATION_COERCED)
    check(body["started"], path="/body/started", number_type="number")
    return body


def report(value: Any) -> ClientMetrics:
    """A metrics report checked as Unleash checks schemas.CLIENT_METRICS."""
    body: ClientMetrics = validate(value, schemas.CLIENT_METRICS_COERCED)
    bucket = body["bucket"]
    check(bucket["start"], path="/body/bucket/start", number_type="integer")
    check(bucket["stop"], path="/body/bucket/stop", number_type="integer")
    return body


def hour_of(value: Any, *, fallback: datetime) -> datetime:
    """The UTC hour a checked date falls in (a number is epoch milliseconds); ``fallback`` for
    a date Python cannot hold (year 0, or beyond 9999, both valid to the schema)."""
    moment = moment_of(value, fallback=None)
    if moment is None:
        return fallback
    return moment.replace(minute=0, second=0, microsecond=0)


def moment_of(value: Any, *, fallback: datetime | None) -> datetime | None:
    """The UTC moment of a checked date, or ``fallback``."""
    try:
        return _moment_of(value, fallback=fallback)
    except (ValueError, OverflowError, OSError):
        return fallback


def _moment_of(value: Any, *, fallback: datetime | None) -> datetime | None:
    moment: datetime | None = None
    if isinstance(value, str) and _is_integer_text(value):
        # Epoch milliseconds; past 20 digits no date (and no int() of an unbounded string).
        if len(value) > 20:
            return fallback
        value = int(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        moment = datetime.fromtimestamp(value / 1000, tz=UTC)
    elif isinstance(value, str):
        moment = formats.to_datetime(value)
    if moment is None:
        return fallback
    return moment
