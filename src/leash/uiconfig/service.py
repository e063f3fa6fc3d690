"""getUiConfig: what a UI made for Unleash reads first (version, URLs, limits, flags), as
Unleash 8.2.0 answers it for an open-source instance without e-mail."""

from __future__ import annotations

from typing import Any

from leash.config import Settings
from leash.identity import Principal
from leash.secrets import sha256
from leash.uiconfig.flags import FLAGS

# The Unleash version whose API leash speaks; a UI gates features on it.
UNLEASH_VERSION = "8.2.0"

# Unleash 8.2's resource limits; those leash has settings for are replaced by the settings.
_DEFAULT_LIMITS: dict[str, int] = {
    "segmentValues": 1000,
    "strategySegments": 5,
    "signalEndpoints": 5,
    "actionSetActions": 10,
    "actionSetsPerProject": 5,
    "actionSetFilters": 5,
    "actionSetFilterValues": 25,
    "signalTokensPerEndpoint": 5,
    "featureEnvironmentStrategies": 30,
    "constraintValues": 250,
    "constraints": 30,
    "environments": 50,
    "projects": 500,
    "apiTokens": 2000,
    "segments": 300,
    "featureFlags": 5000,
    "releaseTemplates": 10,
}


def _context(principal: Principal, *, email: str | None, sid: str | None) -> dict[str, Any]:
    """Unleash's unleashContext: the user's email and session id hashed, never in clear."""
    context: dict[str, Any] = {}
    if email:
        context["email"] = sha256(email)
    if principal.user_id is not None:
        context["userId"] = principal.user_id
    if sid:
        context["sessionId"] = sha256(sid)
    return context


def ui_config(
    *,
    settings: Settings,
    principal: Principal,
    email: str | None,
    sid: str | None,
    maintenance: bool,
    instance_id: str,
) -> dict[str, Any]:
    limits = {
        **_DEFAULT_LIMITS,
        "segmentValues": settings.unleash_segment_values_limit,
        "strategySegments": settings.unleash_strategy_segments_limit,
        "segments": settings.unleash_segments_limit,
    }
    return {
        "environment": "Open Source",
        # 8.2 reports maintenance at the top level only; its flag of the same name stays off.
        "flags": FLAGS,
        "version": UNLEASH_VERSION,
        "emailEnabled": False,
        "unleashUrl": settings.unleash_url,
        "baseUriPath": settings.base_uri_path,
        "authenticationType": "open-source",
        "frontendApiOrigins": list(settings.unleash_frontend_api_origins),
        "versionInfo": {
            "current": {"oss": UNLEASH_VERSION, "enterprise": ""},
            # leash asks nobody for newer versions.
            "latest": {},
            "isLatest": True,
            # Unleash's instanceInfo id, the one its instance statistics report.
            "instanceId": instance_id,
        },
        "prometheusAPIAvailable": False,
        "impactMetrics": "disabled",
        "resourceLimits": limits,
        "disablePasswordAuth": False,
        "maintenanceMode": maintenance,
        "maxSessionsCount": 0,
        "unleashContext": _context(principal, email=email, sid=sid),
        "storiesPageEnabled": False,
    }
