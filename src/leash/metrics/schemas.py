"""Bodies SDKs send to register and to report metrics (Unleash's OpenAPI schemas)."""

from leash.validation import Schema

CLIENT_APPLICATION: Schema = {
    "type": "object",
    "required": ["appName", "interval", "started", "strategies"],
    "properties": {
        "appName": {"type": "string", "minLength": 1},
        "instanceId": {"type": "string"},
        "sdkVersion": {"type": "string"},
        "environment": {"type": "string"},
        "interval": {"type": "number"},
        "started": {"type": "string"},
        "strategies": {"type": "array", "items": {"type": "string"}},
    },
}

TOGGLE_COUNTS: Schema = {
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

CLIENT_METRICS: Schema = {
    "type": "object",
    "required": ["appName", "bucket"],
    "properties": {
        "appName": {"type": "string", "minLength": 1},
        "instanceId": {"type": "string"},
        "environment": {"type": "string"},
        "sdkFlavor": {"type": "string", "maxLength": 256},
        "sdkFlavorVersion": {"type": "string", "maxLength": 32},
        "bucket": {
            "type": "object",
            "required": ["start", "stop", "toggles"],
            "properties": {
                "start": {"type": "string"},
                "stop": {"type": "string"},
                "toggles": {"type": "object", "additionalProperties": TOGGLE_COUNTS},
            },
        },
    },
}
