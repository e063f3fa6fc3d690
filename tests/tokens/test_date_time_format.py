"""leash.formats: ajv-formats' `date-time` (what Unleash accepts in expiresAt and SDK dates),
and the instant leash stores for it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from leash.formats import is_date_time, to_datetime


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("2030-01-01T00:00:00Z", True),
        ("2030-01-01t00:00:00z", True),
        ("2030-01-01 00:00:00", True),
        ("2030-01-01T00:00:00.123+05:30", True),
        ("2030-01-01T00:00:00-0800", True),
        ("2028-02-29T00:00:00Z", True),
        ("2030-02-29T00:00:00Z", False),
        ("2030-13-01T00:00:00Z", False),
        ("2030-01-01T24:00:00Z", False),
        ("2030-01-01T00:00:00+24:00", False),
        ("2016-12-31T23:59:60Z", True),
        ("2016-12-31T23:59:60+01:00", False),
        ("2030-01-01T00:00Z", False),
        ("2030-01-01T00:00:00Z\n", False),
        ("\u0662030-01-01T00:00:00Z", False),
        ("2030-01-01", False),
    ],
)
def test_is_date_time__ajv_full_format(text: str, valid: bool) -> None:
    assert is_date_time(text) is valid


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("2030-01-01T01:30:00+01:30", datetime(2030, 1, 1, tzinfo=UTC)),
        ("2030-01-01 10:00:00", datetime(2030, 1, 1, 10, tzinfo=UTC)),
        ("2016-12-31T23:59:60Z", datetime(2016, 12, 31, 23, 59, 59, tzinfo=UTC)),
        ("9999-12-31T23:59:59+00:00", datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)),
        ("9999-12-31T23:59:59-01:00", None),
        ("0001-01-01T00:00:00+01:00", None),
        ("0000-01-01T00:00:00Z", None),
        ("not a date", None),
    ],
)
def test_to_datetime__utc_instant_or_none_beyond_python(
    text: str, instant: datetime | None
) -> None:
    assert to_datetime(text) == instant
