"""Bodies SDKs send to register and to report metrics (Unleash's OpenAPI schemas), as types,
and the usage summary leash answers with."""

from __future__ import annotations

from typing import Final, NotRequired, TypedDict

from leash.api.openapi import STRING, obj
from leash.validation import Schema


def _sdk_date(number: str) -> Schema:
    """Unleash's dateSchema: a date-time, or a `number` (epoch milliseconds)."""
    return {"oneOf": [{"type": "string", "format": "date-time"}, {"type": number}]}


# What ajv's first oneOf branch leaves of a date: the value coerced to a string, on which the
# second branch is then tried; leash.metrics.dates checks and words the rest as ajv does.
_COERCED_DATE: Final[Schema] = {"type": "string"}


def _client_application(started: Schema) -> Schema:
    return {
        "type": "object",
        "required": ["appName", "interval", "started", "strategies"],
        "properties": {
            "appName": {"type": "string", "minLength": 1},
            "instanceId": {"type": "string"},
            "sdkVersion": {"type": "string"},
            "environment": {"type": "string"},
            "interval": {"type": "number"},
            "started": started,
            "strategies": {"type": "array", "items": {"type": "string"}},
        },
    }


TOGGLE_COUNTS: Final[Schema] = {
    "type": "object",
    "properties": {
        # Unleash's clientMetricsSchema: `yes` is a number, `no` and variant counts integers.
        "yes": {"type": "number", "minimum": 0},
        "no": {"type": "integer", "minimum": 0},
        "variants": {
            "type": "object",
            "nullable": True,
            "additionalProperties": {"type": "integer", "minimum": 0},
        },
    },
}


def _client_metrics(date: Schema) -> Schema:
    return {
        "type": "object",
        "required": ["appName", "bucket"],
        "properties": {
            "appName": {"type": "string", "minLength": 1},
            "instanceId": {"type": "string"},
            # Stored with the instance: a value of another type was a 500 before it was here.
            "sdkVersion": {"type": "string"},
            "environment": {"type": "string"},
            "sdkFlavor": {"type": "string", "maxLength": 256},
            "sdkFlavorVersion": {"type": "string", "maxLength": 32},
            "bucket": {
                "type": "object",
                "required": ["start", "stop", "toggles"],
                "properties": {
                    "start": date,
                    "stop": date,
                    "toggles": {"type": "object", "additionalProperties": TOGGLE_COUNTS},
                },
            },
        },
    }


CLIENT_APPLICATION: Final[Schema] = _client_application(_sdk_date("number"))
CLIENT_METRICS: Final[Schema] = _client_metrics(_sdk_date("integer"))
# What leash.validation checks before leash.metrics.dates: the same, dates as ajv coerced them.
CLIENT_APPLICATION_COERCED: Final[Schema] = _client_application(_COERCED_DATE)
CLIENT_METRICS_COERCED: Final[Schema] = _client_metrics(_COERCED_DATE)

# A date-time string, or epoch milliseconds (a digit string or a number).
SdkDate = str | int | float


class ClientApplication(TypedDict):
    appName: str
    instanceId: NotRequired[str]
    sdkVersion: NotRequired[str]
    environment: NotRequired[str]
    interval: int | float
    started: SdkDate
    strategies: list[str]


class ToggleCounts(TypedDict, total=False):
    yes: int | float
    no: int
    variants: dict[str, int] | None


class Bucket(TypedDict):
    start: SdkDate
    stop: SdkDate
    toggles: dict[str, ToggleCounts]


class ClientMetrics(TypedDict):
    appName: str
    instanceId: NotRequired[str]
    sdkVersion: NotRequired[str]
    environment: NotRequired[str]
    sdkFlavor: NotRequired[str]
    sdkFlavorVersion: NotRequired[str]
    bucket: Bucket


# -- answers ----------------------------------------------------------------------------------

FEATURE_USAGE_SUMMARY: Final[Schema] = obj(["featureName"], featureName=STRING)
