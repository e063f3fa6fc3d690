"""JSON schema of Unleash 8.2's instanceAdminStatsSchema (as far as leash documents it)."""

from __future__ import annotations

from leash.validation import Schema

_COUNTS = {"type": "object", "additionalProperties": {"type": "number"}}

INSTANCE_ADMIN_STATS: Schema = {
    "type": "object",
    "required": ["instanceId"],
    "properties": {
        "timestamp": {"type": "string", "format": "date-time"},
        "instanceId": {"type": "string"},
        "versionOSS": {"type": "string"},
        "versionEnterprise": {"type": "string"},
        "users": {"type": "number"},
        "serviceAccounts": {"type": "number"},
        "apiTokens": _COUNTS,
        "activeUsers": _COUNTS,
        "licensedUsers": {"type": "number"},
        "featureToggles": {"type": "number"},
        "archivedFeatureToggles": {"type": "number"},
        "projects": {"type": "number"},
        "contextFields": {"type": "number"},
        "roles": {"type": "number"},
        "customRootRoles": {"type": "number"},
        "customRootRolesInUse": {"type": "number"},
        "groups": {"type": "number"},
        "environments": {"type": "number"},
        "segments": {"type": "number"},
        "strategies": {"type": "number"},
        "SAMLenabled": {"type": "boolean"},
        "OIDCenabled": {"type": "boolean"},
        "passwordAuthEnabled": {"type": "boolean"},
        "SCIMenabled": {"type": "boolean"},
        "clientApps": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"range": {"type": "string"}, "count": {"type": "number"}},
            },
        },
        "featureExports": {"type": "number"},
        "featureImports": {"type": "number"},
        "productionChanges": _COUNTS,
        "previousDayMetricsBucketsCount": _COUNTS,
        "maxEnvironmentStrategies": {"type": "number"},
        "maxConstraintValues": {"type": "number"},
        "maxConstraints": {"type": "number"},
        "releaseTemplates": {"type": "number"},
        "releasePlans": {"type": "number"},
        "edgeInstanceUsage": _COUNTS,
        "readOnlyUsers": {"type": "number"},
        "sum": {"type": "string"},
    },
}
