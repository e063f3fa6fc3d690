"""A seeded instance, as requests any Unleash-shaped server answers: context fields with legal
values (one used only by a segment), a segment, a custom strategy, tag
types, flags with strategies (constraints, segments, variants), tags,
a dependency, links and an archived flag. Run against the reference by record_export_reference.py
and against leash by the tests; a fresh server gives segment 1 to the first segment."""

from __future__ import annotations

from reference_replay import Step

P = "/api/admin/projects/default/features"
DEV = "environments/development"

SEED: list[Step] = [
    (
        "context-region",
        "POST",
        "/api/admin/context",
        {
            "name": "region",
            "description": "Where the user is",
            "stickiness": True,
            "legalValues": [
                {"value": "eu", "description": "Europe"},
                {"value": "us"},
            ],
        },
    ),
    ("context-tier", "POST", "/api/admin/context", {"name": "tier", "legalValues": []}),
    (
        "context-plan",
        "POST",
        "/api/admin/context",
        {"name": "plan", "legalValues": [{"value": "free"}, {"value": "pro"}]},
    ),
    (
        "segment",
        "POST",
        "/api/admin/segments",
        {
            "name": "beta-users",
            "description": "Early adopters",
            "constraints": [
                {"contextName": "plan", "operator": "IN", "values": ["pro"], "inverted": False}
            ],
        },
    ),
    (
        "custom-strategy",
        "POST",
        "/api/admin/strategies",
        {
            "name": "my-custom",
            "description": "A custom one",
            "parameters": [
                {"name": "level", "type": "string", "description": "", "required": False}
            ],
        },
    ),
    (
        "tag-type",
        "POST",
        "/api/admin/tag-types",
        {"name": "team", "description": "Who owns it", "icon": "T"},
    ),
    (
        "flag-alpha",
        "POST",
        P,
        {"name": "exp-alpha", "description": "The first", "type": "experiment"},
    ),
    ("flag-beta", "POST", P, {"name": "exp-beta", "impressionData": True}),
    ("flag-gamma", "POST", P, {"name": "exp-gamma", "type": "kill-switch"}),
    ("flag-archived", "POST", P, {"name": "exp-archived"}),
    (
        "alpha-strategy-rollout",
        "POST",
        f"{P}/exp-alpha/{DEV}/strategies",
        {
            "name": "flexibleRollout",
            "title": "Half of Europe",
            "parameters": {"rollout": "50", "stickiness": "region", "groupId": "exp-alpha"},
            "constraints": [
                {
                    "contextName": "region",
                    "operator": "IN",
                    "values": ["eu"],
                    "inverted": False,
                    "caseInsensitive": False,
                }
            ],
            "segments": [1],
            "variants": [
                {
                    "name": "blue",
                    "weight": 1000,
                    "weightType": "variable",
                    "stickiness": "default",
                    "payload": {"type": "string", "value": "b"},
                }
            ],
        },
    ),
    (
        "alpha-strategy-custom",
        "POST",
        f"{P}/exp-alpha/{DEV}/strategies",
        {"name": "my-custom", "parameters": {"level": "3"}, "disabled": True},
    ),
    ("alpha-on", "POST", f"{P}/exp-alpha/{DEV}/on", None),
    (
        "alpha-tag-team",
        "POST",
        "/api/admin/features/exp-alpha/tags",
        {"type": "team", "value": "core"},
    ),
    (
        "alpha-tag-simple",
        "POST",
        "/api/admin/features/exp-alpha/tags",
        {"type": "simple", "value": "ui"},
    ),
    (
        "beta-strategy",
        "POST",
        f"{P}/exp-beta/{DEV}/strategies",
        {"name": "default", "parameters": {}, "constraints": []},
    ),
    (
        "beta-dependency",
        "POST",
        f"{P}/exp-beta/dependencies",
        {"feature": "exp-alpha", "enabled": True, "variants": ["red"]},
    ),
    (
        "beta-link",
        "POST",
        f"{P}/exp-beta/link",
        {"url": "https://example.com/beta", "title": "Spec"},
    ),
    ("beta-link-untitled", "POST", f"{P}/exp-beta/link", {"url": "https://example.com/more"}),
    ("beta-on", "POST", f"{P}/exp-beta/{DEV}/on", None),
    (
        "gamma-strategy",
        "POST",
        f"{P}/exp-gamma/{DEV}/strategies",
        {
            "name": "default",
            "parameters": {},
            "constraints": [
                {
                    "contextName": "tier",
                    "operator": "STR_CONTAINS",
                    "values": ["x"],
                    "inverted": True,
                }
            ],
        },
    ),
    ("gamma-tag", "POST", "/api/admin/features/exp-gamma/tags", {"type": "simple", "value": "ops"}),
    ("archive", "DELETE", f"{P}/exp-archived", None),
]
