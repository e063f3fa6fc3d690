"""The requests whose reference answers are recorded (record_export_reference.py) and checked.
Validate and import bodies are built from the reference's export of the seeded project."""

from __future__ import annotations

import copy
from typing import Any

EXPORTS: dict[str, Any] = {
    "project": {"environment": "development", "project": "default"},
    "features": {
        "environment": "development",
        "features": ["exp-gamma", "exp-alpha", "exp-archived"],
    },
    "all": {"environment": "development", "features": []},
    "tag": {"environment": "development", "tag": "ui"},
    "production": {"environment": "production", "project": "default"},
    "download": {"environment": "development", "project": "default", "downloadFile": True},
    "unknown-environment": {"environment": "nowhere", "project": "default"},
    "no-environment": {"project": "default"},
    "empty": {},
}

PASSWORD = "Porter-pass-2026"
# Users made on both servers: an Admin and a Viewer, each with a personal access token.
USERS = {"admin": ("porter", 1), "viewer": ("watcher", 3)}


def renamed(data: dict[str, Any], mapping: dict[str, str]) -> dict[str, Any]:
    """The export with its flags renamed everywhere they are named."""
    data = copy.deepcopy(data)

    def name(value: str) -> str:
        return mapping.get(value, value)

    for feature in data["features"]:
        feature["name"] = name(feature["name"])
    for key in ("featureStrategies", "featureEnvironments", "featureTags"):
        for item in data.get(key, []):
            item["featureName"] = name(item["featureName"])
            if key == "featureEnvironments":
                item["name"] = name(item["name"])
    for item in data.get("dependencies", []):
        item["feature"] = name(item["feature"])
        for parent in item["dependencies"]:
            parent["feature"] = name(parent["feature"])
    for item in data.get("links", []):
        item["feature"] = name(item["feature"])
    return data


def _body(data: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {"project": "default", "environment": "development", "data": data, **changes}


def validations(exported: dict[str, Any]) -> dict[str, tuple[str, Any]]:
    """Name -> (whose token: admin or viewer, body)."""
    data = copy.deepcopy(exported)

    def with_(key: str, *extra: Any) -> dict[str, Any]:
        changed = copy.deepcopy(data)
        changed[key] = [*changed.get(key, []), *extra]
        return changed

    region = next(f for f in data["contextFields"] if f["name"] == "region")
    widened = {**region, "legalValues": [*region["legalValues"], {"value": "asia"}]}
    fields = [f for f in data["contextFields"] if f["name"] != "region"]
    fresh = renamed(
        data, {"exp-alpha": "imp-alpha", "exp-beta": "imp-beta", "exp-gamma": "imp-gamma"}
    )
    return {
        "same-project": ("admin", _body(data)),
        "viewer": ("viewer", _body(data)),
        "viewer-new-flags": ("viewer", _body(fresh)),
        "to-production": ("admin", _body(data, environment="production")),
        "new-flags": ("admin", _body(fresh)),
        "unsupported-strategy": (
            "admin",
            _body(with_("featureStrategies", {"name": "nope", "featureName": "exp-alpha"})),
        ),
        "context-legal-values": (
            "admin",
            _body({**data, "contextFields": [*fields, widened]}),
        ),
        "new-context-field": (
            "admin",
            _body(with_("contextFields", {"name": "brand-new", "legalValues": [{"value": "x"}]})),
        ),
        "duplicates": ("admin", _body(with_("features", data["features"][0]))),
        "missing-segment": (
            "admin",
            _body(with_("segments", {"id": 7, "name": "ghost-segment"})),
        ),
        "missing-dependency": (
            "admin",
            _body(
                with_(
                    "dependencies",
                    {"feature": "exp-gamma", "dependencies": [{"feature": "ghost-parent"}]},
                )
            ),
        ),
        "archived": (
            "admin",
            _body(with_("features", {"name": "exp-archived", "project": "default"})),
        ),
        "other-project": ("admin", _body(data, project="elsewhere")),
        "new-tag-type": (
            "admin",
            _body(
                {
                    **with_("tagTypes", {"name": "fresh-type", "description": "new"}),
                    "featureTags": [
                        *data["featureTags"],
                        {"featureName": "exp-beta", "tagType": "fresh-type", "tagValue": "vv"},
                    ],
                }
            ),
        ),
        "no-data": ("admin", {"project": "default", "environment": "development"}),
        "bad-data": ("admin", _body({"featureStrategies": [], "tagTypes": []})),
    }


def imports(exported: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """In order, on one server: (name, whose token: admin-token, admin or viewer, body)."""
    checks = validations(exported)
    fresh = checks["new-flags"][1]["data"]
    fresh["featureEnvironments"][2]["variants"] = [
        {
            "name": "v1",
            "weight": 1000,
            "weightType": "variable",
            "stickiness": "tier",
            "overrides": [{"contextName": "brand-new", "values": ["x"]}],
        }
    ]
    fresh["featureEnvironments"][2]["enabled"] = True
    fresh["contextFields"].append(
        {"name": "brand-new", "description": "made by the import", "legalValues": [{"value": "x"}]}
    )
    fresh["tagTypes"].append({"name": "fresh-type", "description": "new", "icon": "F"})
    fresh["featureTags"].append(
        {"featureName": "imp-gamma", "tagType": "fresh-type", "tagValue": "vv"}
    )
    fresh["features"].append({"name": "exp-archived", "project": "default"})
    fresh["featureStrategies"].append(
        {"name": "default", "featureName": "exp-archived", "parameters": {}, "constraints": []}
    )
    overwrite = copy.deepcopy(checks["same-project"][1])
    overwrite["data"]["featureEnvironments"][2]["enabled"] = True
    overwrite["data"]["featureStrategies"] = overwrite["data"]["featureStrategies"][:2]
    overwrite["data"]["features"][1]["description"] = "Now described"
    overwrite["data"]["features"][1]["stale"] = True
    overwrite["data"]["featureTags"] = overwrite["data"]["featureTags"][:1]
    overwrite["data"]["links"] = []
    return [
        ("admin-token", "admin-token", checks["same-project"][1]),
        ("admin-token-bad-body", "admin-token", checks["no-data"][1]),
        ("viewer", "viewer", checks["same-project"][1]),
        ("unsupported-strategy", "admin", checks["unsupported-strategy"][1]),
        ("context-legal-values", "admin", checks["context-legal-values"][1]),
        ("missing-segment", "admin", checks["missing-segment"][1]),
        ("missing-dependency", "admin", checks["missing-dependency"][1]),
        ("other-project", "admin", checks["other-project"][1]),
        ("new-flags", "admin", checks["new-flags"][1]),
        ("overwrite", "admin", overwrite),
    ]


# What is read after each successful import: (method, path, body).
READS: list[tuple[str, str, Any]] = [
    (
        "POST",
        "/api/admin/features-batch/export",
        {
            "environment": "development",
            "features": [
                "exp-alpha",
                "exp-beta",
                "exp-gamma",
                "imp-alpha",
                "imp-beta",
                "imp-gamma",
            ],
        },
    ),
    ("GET", "/api/admin/context/brand-new", None),
    ("GET", "/api/admin/tag-types/fresh-type", None),
    ("GET", "/api/admin/projects/default/features/imp-gamma?variantEnvironments=true", None),
    ("GET", "/api/admin/projects/default/features/exp-beta", None),
]


def _one(name: str, **data: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"features": [{"name": name}], "featureStrategies": [], "tagTypes": []}
    return _body({**body, **data})


# Imports that go wrong in the services behind the import, in order after `imports`, each
# validated then imported with the Admin's token: (name, body).
EDGES: list[tuple[str, Any]] = [
    ("no-project", {**_one("zz-new"), "project": "nowhere"}),
    (
        "no-environment",
        {
            **_one(
                "zz-new",
                featureEnvironments=[{"name": "zz-new", "featureName": "zz-new", "enabled": True}],
            ),
            "environment": "nowhere",
        },
    ),
    (
        "strategy-of-unlisted-flag",
        _one("zz-new", featureStrategies=[{"name": "default", "featureName": "not-listed"}]),
    ),
    ("bad-flag-name", _one("bad name!")),
    (
        "unknown-segment-id",
        _one(
            "zz-new",
            featureStrategies=[{"name": "default", "featureName": "zz-new", "segments": [1e300]}],
            segments=[{"id": 1e300, "name": "beta-users"}],
        ),
    ),
    (
        "bad-variants",
        _one(
            "zz-new",
            featureEnvironments=[
                {
                    "name": "zz-new",
                    "featureName": "zz-new",
                    "enabled": True,
                    "variants": [{"name": "a", "weight": 5, "weightType": "fix"}],
                }
            ],
        ),
    ),
    (
        "unknown-tag-type",
        _one(
            "zz-new", featureTags=[{"featureName": "zz-new", "tagType": "nope", "tagValue": "vv"}]
        ),
    ),
    (
        "tag-of-unknown-flag",
        _one(
            "zz-new", featureTags=[{"featureName": "ghost", "tagType": "simple", "tagValue": "vv"}]
        ),
    ),
    ("bad-link", _one("zz-new", links=[{"feature": "zz-new", "links": [{"url": "not a url"}]}])),
    (
        "link-of-unknown-flag",
        _one("zz-new", links=[{"feature": "ghost", "links": [{"url": "https://x.io"}]}]),
    ),
    (
        "bad-context-field",
        _one("zz-new", contextFields=[{"name": "a b c", "legalValues": [{"value": "x"}]}]),
    ),
    (
        "duplicate-new-flags",
        _body(
            {
                "features": [{"name": "zz-d"}, {"name": "zz-d"}],
                "featureStrategies": [],
                "tagTypes": [],
            }
        ),
    ),
    (
        "bad-tag-type",
        _one(
            "zz-new",
            tagTypes=[{"name": "bad type!"}],
            featureTags=[{"featureName": "zz-new", "tagType": "bad type!", "tagValue": "vv"}],
        ),
    ),
]
