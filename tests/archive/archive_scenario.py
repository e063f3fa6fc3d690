"""The archive, revive, delete, stale and lifecycle calls whose Unleash 8.2.0 answers are
recorded in fixtures/ (by record_archive.py) and replayed against leash (test_archive_reference.py).

Flag names carry `{p}`: the recording fills in a unique prefix (the reference is shared), the
replay an empty one; answers are stored with the prefix removed."""

from __future__ import annotations

from reference_replay import Step

P = "/api/admin/projects/default"
FLAGS = {"a", "b", "c", "child", "nope", "par", "src", "cl", "cl2", "cl3"}

SOURCE = {
    "name": "flexibleRollout",
    "parameters": {"rollout": "50", "stickiness": "default", "groupId": "{p}src"},
    "constraints": [{"contextName": "userId", "operator": "IN", "values": ["u1"]}],
    "variants": [{"name": "v", "weight": 1000, "weightType": "variable", "stickiness": "default"}],
}

SETUP: list[Step] = [
    ("create-a", "POST", P + "/features", {"name": "{p}a"}),
    ("create-b", "POST", P + "/features", {"name": "{p}b"}),
    ("create-c", "POST", P + "/features", {"name": "{p}c"}),
    ("create-child", "POST", P + "/features", {"name": "{p}child"}),
    ("depend", "POST", P + "/features/{p}child/dependencies", {"feature": "{p}a"}),
    ("enable-a", "POST", P + "/features/{p}a/environments/development/on", None),
    ("create-par", "POST", P + "/features", {"name": "{p}par"}),
    (
        "create-src",
        "POST",
        P + "/features",
        {"name": "{p}src", "type": "kill-switch", "description": "d", "impressionData": True},
    ),
    ("strategy-src", "POST", P + "/features/{p}src/environments/development/strategies", SOURCE),
    ("depend-src", "POST", P + "/features/{p}src/dependencies", {"feature": "{p}par"}),
    ("enable-src", "POST", P + "/features/{p}src/environments/development/on", None),
]

STEPS: list[Step] = [
    ("validate-parent", "POST", P + "/archive/validate", {"features": ["{p}a"]}),
    ("validate-both", "POST", P + "/archive/validate", {"features": ["{p}a", "{p}child"]}),
    ("validate-child", "POST", P + "/archive/validate", {"features": ["{p}child"]}),
    ("validate-free", "POST", P + "/archive/validate", {"features": ["{p}b", "{p}nope"]}),
    ("validate-empty", "POST", P + "/archive/validate", {"features": []}),
    ("validate-no-features", "POST", P + "/archive/validate", {}),
    ("archive-parent", "POST", P + "/archive", {"features": ["{p}a"]}),
    ("archive-one-parent", "DELETE", P + "/features/{p}a", None),
    ("archive-not-array", "POST", P + "/archive", {"features": "x"}),
    ("archive-null", "POST", P + "/archive", None),
    ("archive-other-project", "POST", "/api/admin/projects/nope/archive", {"features": ["{p}b"]}),
    ("archive-b-c", "POST", P + "/archive", {"features": ["{p}b", "{p}c", "{p}nope"]}),
    ("archive-again", "POST", P + "/archive", {"features": ["{p}b"]}),
    ("archive-both", "POST", P + "/archive", {"features": ["{p}a", "{p}child"]}),
    ("get-archived", "GET", P + "/features/{p}a", None),
    ("clone", "POST", P + "/features/{p}src/clone", {"name": "{p}cl"}),
    (
        "clone-keep-group",
        "POST",
        P + "/features/{p}src/clone",
        {"name": "{p}cl2", "replaceGroupId": False},
    ),
    ("clone-duplicate", "POST", P + "/features/{p}src/clone", {"name": "{p}cl"}),
    ("clone-bad-name", "POST", P + "/features/{p}src/clone", {"name": "bad name"}),
    ("clone-no-name", "POST", P + "/features/{p}src/clone", {}),
    ("clone-unknown", "POST", P + "/features/{p}nope/clone", {"name": "{p}cl3"}),
    (
        "clone-other-project",
        "POST",
        "/api/admin/projects/nope/features/{p}src/clone",
        {"name": "{p}cl3"},
    ),
    ("clone-archived", "POST", P + "/features/{p}c/clone", {"name": "{p}cl3"}),
    ("get-clone", "GET", P + "/features/{p}cl", None),
    ("get-clone-kept-group", "GET", P + "/features/{p}cl2", None),
    ("lifecycle-archived", "GET", P + "/features/{p}b/lifecycle", None),
    ("revive-unknown", "POST", "/api/admin/archive/revive/{p}nope", None),
    ("revive-a", "POST", "/api/admin/archive/revive/{p}a", None),
    ("revive-a-again", "POST", "/api/admin/archive/revive/{p}a", None),
    ("get-revived", "GET", P + "/features/{p}a", None),
    ("revive-unknown-project", "POST", "/api/admin/projects/nope/revive", {"features": ["{p}b"]}),
    ("revive-many", "POST", P + "/revive", {"features": ["{p}b", "{p}a", "{p}nope"]}),
    ("revive-no-features", "POST", P + "/revive", {}),
    ("delete-active", "DELETE", "/api/admin/archive/{p}a", None),
    ("delete-unknown", "DELETE", "/api/admin/archive/{p}nope", None),
    ("delete-child", "DELETE", "/api/admin/archive/{p}child", None),
    ("get-deleted", "GET", P + "/features/{p}child", None),
    ("delete-other-project", "POST", "/api/admin/projects/nope/delete", {"features": ["{p}c"]}),
    ("delete-many", "POST", P + "/delete", {"features": ["{p}c", "{p}b"]}),
    ("stale-on", "POST", P + "/stale", {"features": ["{p}b", "{p}nope"], "stale": True}),
    ("stale-on-again", "POST", P + "/stale", {"features": ["{p}b"], "stale": True}),
    ("stale-off", "POST", P + "/stale", {"features": ["{p}b"], "stale": False}),
    ("stale-no-stale", "POST", P + "/stale", {"features": ["{p}b"]}),
    (
        "stale-other-project",
        "POST",
        "/api/admin/projects/nope/stale",
        {"features": ["{p}b"], "stale": True},
    ),
    (
        "complete-kept",
        "POST",
        P + "/features/{p}b/lifecycle/complete",
        {"status": "kept", "statusValue": "v1"},
    ),
    ("lifecycle-completed", "GET", P + "/features/{p}b/lifecycle", None),
    ("complete-again", "POST", P + "/features/{p}b/lifecycle/complete", {"status": "discarded"}),
    ("complete-bad-status", "POST", P + "/features/{p}b/lifecycle/complete", {"status": "other"}),
    ("complete-no-status", "POST", P + "/features/{p}b/lifecycle/complete", {}),
    ("complete-extra", "POST", P + "/features/{p}b/lifecycle/complete", {"status": "kept", "x": 1}),
    ("complete-unknown", "POST", P + "/features/{p}nope/lifecycle/complete", {"status": "kept"}),
    ("lifecycle-unknown", "GET", P + "/features/{p}nope/lifecycle", None),
    ("uncomplete", "POST", P + "/features/{p}b/lifecycle/uncomplete", None),
    ("uncomplete-again", "POST", P + "/features/{p}b/lifecycle/uncomplete", None),
    ("lifecycle-uncompleted", "GET", P + "/features/{p}b/lifecycle", None),
]

