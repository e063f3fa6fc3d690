"""Bodies SDKs send to register and to report metrics (Unleash's OpenAPI schemas), as types,
and the usage summary leash answers with."""

from __future__ import annotations

from typing import Any, Final, NotRequired, TypedDict

from leash.api.openapi import BOOLEAN, INTEGER, NULLABLE_STRING, STRING, array, obj
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


# -- applications -----------------------------------------------------------------------------

_STRINGS: Final[Schema] = {"type": "array", "items": STRING}

# Unleash's createApplicationSchema; other properties pass (its `description` is stored).
CREATE_APPLICATION: Final[Schema] = {
    "type": "object",
    "properties": {"strategies": _STRINGS, "url": STRING, "color": STRING, "icon": STRING},
}


class CreateApplication(TypedDict, total=False):
    strategies: list[str]
    url: str
    color: str
    icon: str
    description: Any
    createdBy: Any


def _query(description: str) -> Schema:
    return {"type": "string", "description": description}


APPLICATIONS_QUERY: Final[dict[str, Schema]] = {
    "query": _query("The search query for the application name (comma-separated terms)"),
    "offset": _query("The number of applications to skip when returning a page (default 0)"),
    "limit": _query("The number of applications to return in a page (default 1000)"),
    "sortBy": _query("Ignored as in Unleash: applications are sorted by name"),
    "sortOrder": _query("asc (the default) or desc"),
}
PROJECT_APPLICATIONS_QUERY: Final[dict[str, Schema]] = {
    **APPLICATIONS_QUERY,
    "query": _query("The search query for the application name, SDK or environment"),
    "limit": _query("The number of applications to return in a page (default 50, at most 100)"),
}
RAW_METRICS_QUERY: Final[dict[str, Schema]] = {
    "hoursBack": _query("Hours of metrics to answer, 1 to 48 (default 24)"),
}

_USAGE: Final[Schema] = obj(["project", "environments"], project=STRING, environments=_STRINGS)
APPLICATION: Final[Schema] = obj(
    ["appName"],
    appName=STRING,
    strategies=_STRINGS,
    description=NULLABLE_STRING,
    url=NULLABLE_STRING,
    color=NULLABLE_STRING,
    icon=NULLABLE_STRING,
    usage=array(_USAGE),
)
APPLICATIONS: Final[Schema] = obj(
    ["total", "applications"], total=INTEGER, applications=array(APPLICATION)
)
_INSTANCE: Final[Schema] = obj(
    ["instanceId"],
    instanceId=STRING,
    sdkVersion=NULLABLE_STRING,
    clientIp=NULLABLE_STRING,
    lastSeen=STRING,
)
APPLICATION_DETAILS: Final[Schema] = obj(
    ["appName", "strategies", "instances", "seenToggles", "links"],
    appName=STRING,
    createdAt=STRING,
    description=NULLABLE_STRING,
    url=NULLABLE_STRING,
    color=NULLABLE_STRING,
    icon=NULLABLE_STRING,
    strategies=array(obj(["name"], name=STRING, notFound=BOOLEAN)),
    instances=array(_INSTANCE),
    seenToggles=array(obj(["name"], name=STRING, notFound=BOOLEAN)),
    links=obj(["self"], self=STRING),
)
_ENVIRONMENT: Final[Schema] = obj(
    ["name", "instanceCount", "sdks", "frontendSdks", "backendSdks", "lastSeen", "issues"],
    name=STRING,
    instanceCount=INTEGER,
    sdks=_STRINGS,
    frontendSdks=_STRINGS,
    backendSdks=_STRINGS,
    lastSeen=NULLABLE_STRING,
    issues=obj(
        ["missingFeatures", "outdatedSdks"], missingFeatures=_STRINGS, outdatedSdks=_STRINGS
    ),
)
APPLICATION_OVERVIEW: Final[Schema] = obj(
    ["projects", "featureCount", "environments", "issues"],
    projects=_STRINGS,
    featureCount=INTEGER,
    environments=array(_ENVIRONMENT),
    issues=obj(["missingStrategies"], missingStrategies=_STRINGS),
)
ENVIRONMENT_INSTANCES: Final[Schema] = obj(["instances"], instances=array(_INSTANCE))
OUTDATED_SDKS: Final[Schema] = obj(
    ["sdks"],
    sdks=array(obj(["sdkVersion", "applications"], sdkVersion=STRING, applications=_STRINGS)),
)
_METRICS_ROW: Final[Schema] = obj(
    ["featureName", "appName", "environment", "timestamp", "yes", "no"],
    featureName=STRING,
    appName=STRING,
    environment=STRING,
    timestamp=STRING,
    yes=INTEGER,
    no=INTEGER,
    variants={"type": "object", "additionalProperties": INTEGER},
)
FEATURE_METRICS: Final[Schema] = obj(
    ["version", "maturity", "data"], version=INTEGER, maturity=STRING, data=array(_METRICS_ROW)
)
PROJECT_APPLICATIONS: Final[Schema] = obj(
    ["total", "applications"],
    total=INTEGER,
    applications=array(
        obj(
            ["name", "environments", "instances", "sdks"],
            name=STRING,
            environments=_STRINGS,
            instances=_STRINGS,
            sdks=array(obj(["name", "versions"], name=STRING, versions=_STRINGS)),
        )
    ),
)

UNKNOWN_FLAGS: Final[Schema] = obj(
    ["unknownFlags"],
    unknownFlags=array(
        obj(
            ["name", "lastSeenAt"],
            name=STRING,
            lastSeenAt=STRING,
            lastEventAt=NULLABLE_STRING,
            reports=array(
                obj(
                    ["appName", "environments"],
                    appName=STRING,
                    environments=array(
                        obj(["environment", "seenAt"], environment=STRING, seenAt=STRING)
                    ),
                )
            ),
        )
    ),
)
