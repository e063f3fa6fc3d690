"""The flag searches whose Unleash 8.2.0 answers are recorded in fixtures/answers.json (by
record_search.py) and replayed against leash (test_search_reference.py). Every search names
the scenario's prefix in `query`, so flags of others on the shared reference stay out."""

from __future__ import annotations

from reference_replay import Step

P = "/api/admin/projects/default"
S = "/api/admin/search/features?query={p}s-"

SETUP: list[Step] = [
    ("segment", "POST", "/api/admin/segments", {"name": "{p}seg", "constraints": []}),
    ("create-a", "POST", P + "/features", {"name": "{p}s-a", "description": "first"}),
    ("create-b", "POST", P + "/features", {"name": "{p}s-b", "type": "kill-switch"}),
    ("create-c", "POST", P + "/features", {"name": "{p}s-c", "type": "operational"}),
    ("create-d", "POST", P + "/features", {"name": "{p}s-d"}),
    ("stale-b", "POST", P + "/stale", {"features": ["{p}s-b"], "stale": True}),
    ("tag-c", "POST", "/api/admin/features/{p}s-c/tags", {"type": "simple", "value": "blue"}),
    ("tag-a", "POST", "/api/admin/features/{p}s-a/tags", {"type": "simple", "value": "red"}),
    ("depend", "POST", P + "/features/{p}s-b/dependencies", {"feature": "{p}s-a"}),
    (
        "strategy-a",
        "POST",
        P + "/features/{p}s-a/environments/production/strategies",
        {"name": "default", "constraints": [], "parameters": {}},
    ),
    ("enable-a", "POST", P + "/features/{p}s-a/environments/production/on", None),
    ("complete-c", "POST", P + "/features/{p}s-c/lifecycle/complete", {"status": "kept"}),
    ("archive-d", "POST", P + "/archive", {"features": ["{p}s-d"]}),
]

STEPS: list[Step] = [
    ("all", "GET", S, None),
    ("type", "GET", S + "&type=IS:kill-switch", None),
    ("type-not", "GET", S + "&type=IS_NOT:kill-switch", None),
    ("stale", "GET", S + "&state=IS:stale", None),
    ("active", "GET", S + "&state=IS:active", None),
    ("stale-or-potentially", "GET", S + "&state=IS_ANY_OF:stale,potentially-stale", None),
    ("tag", "GET", S + "&tag=INCLUDE:simple:blue", None),
    ("tag-not", "GET", S + "&tag=DO_NOT_INCLUDE:simple:blue", None),
    ("tag-any", "GET", S + "&tag=INCLUDE_ANY_OF:simple:blue,simple:red", None),
    ("lifecycle-completed", "GET", S + "&lifecycle=IS:completed", None),
    ("lifecycle-archived", "GET", S + "&lifecycle=IS:archived", None),
    ("lifecycle-not-initial", "GET", S + "&lifecycle=IS_NOT:initial", None),
    ("archived", "GET", S + "&archived=IS:true", None),
    ("sort-name-desc", "GET", S + "&sortBy=name&sortOrder=desc", None),
    ("sort-type", "GET", S + "&sortBy=type", None),
    ("sort-production", "GET", S + "&sortBy=environment:production&sortOrder=desc", None),
    ("sort-created-desc", "GET", S + "&sortOrder=desc", None),
    ("page", "GET", S + "&limit=2&offset=1", None),
    ("limit-over-max", "GET", S + "&limit=1000", None),
    ("limit-not-number", "GET", S + "&limit=abc&offset=xyz", None),
    ("status-one", "GET", S + "&status=production:enabled", None),
    ("status", "GET", S + "&status=production:enabled&status=development:enabled", None),
    ("project", "GET", S + "&project=IS:default", None),
    ("project-not", "GET", S + "&project=IS_NOT:default", None),
    ("created-before", "GET", S + "&createdAt=IS_BEFORE:2000-01-01", None),
    ("created-after", "GET", S + "&createdAt=IS_ON_OR_AFTER:2000-01-01", None),
    ("created-by", "GET", S + "&createdBy=IS:-42", None),
    ("segment", "GET", S + "&segment=INCLUDE:{p}seg", None),
    ("favorite", "GET", S + "&favorite=IS:true", None),
    ("two-texts", "GET", "/api/admin/search/features?query={p}s-a,{p}s-c", None),
    ("bad-project", "GET", S + "&project=XX:default", None),
    ("bad-sort-order", "GET", S + "&sortOrder=up", None),
    ("bad-archived", "GET", S + "&archived=IS:maybe", None),
    ("bad-created-at", "GET", S + "&createdAt=IS:2000-01-01", None),
]
