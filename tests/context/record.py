"""Record the context API's answers from a running reference Unleash 8.2.0.

    .venv/bin/python tests/context/record.py [--base-url http://127.0.0.1:4243]

Works on a shared, non-fresh server: it first removes its own fields and flags (names
starting with PREFIX), then runs STEPS in order and writes, for each, the request, the answer
and the context-field events it recorded to fixtures/scenario.json (normalised by `shape`).
test_context_reference.py replays the same steps on leash and compares.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from flagkit import normalise  # noqa: E402

PREFIX = "h1-rec-"
FIXTURE = HERE / "fixtures" / "scenario.json"
BUILT_IN = ("appName", "currentTime", "environment", "sessionId", "userId")
TOKENS = {"admin": "*:*.admin-secret"}
ROOT = "/api/admin/context"
PROJECT = "/api/admin/projects/default/context"
FEATURES = "/api/admin/projects/default/features"
TIER = f"{ROOT}/{PREFIX}tier"
LONG = "x" * 101


def step(name: str, method: str, path: str, body: Any = None, **options: Any) -> dict[str, Any]:
    return {"name": name, "method": method, "path": path, "body": body, **options}


def _strategy(flag: str, environment: str, constraints: list[dict[str, Any]]) -> dict[str, Any]:
    return step(
        f"setup-strategy-{flag}-{environment}",
        "POST",
        f"{FEATURES}/{PREFIX}{flag}/environments/{environment}/strategies",
        {"name": "default", "constraints": constraints},
        setup=True,
    )


def _on(context: str, value: str = "gold") -> dict[str, Any]:
    return {"contextName": f"{PREFIX}{context}", "operator": "IN", "values": [value]}


STEPS: list[dict[str, Any]] = [
    step("list-built-in", "GET", ROOT),
    step("list-project-empty", "GET", PROJECT),
    step(
        "create-full",
        "POST",
        ROOT,
        {
            "name": f"{PREFIX}tier",
            "description": "Subscription tier",
            "legalValues": [{"value": "gold", "description": "Gold"}, {"value": "silver"}],
            "stickiness": True,
            "sortOrder": 7,
        },
    ),
    step("create-minimal", "POST", ROOT, {"name": f"{PREFIX}min"}),
    step(
        "create-nulls-coerced",
        "POST",
        ROOT,
        {
            "name": f"{PREFIX}nulls",
            "description": None,
            "stickiness": None,
            "sortOrder": None,
            "legalValues": [{"value": "a", "description": None}],
        },
    ),
    step(
        "create-numbers-coerced",
        "POST",
        ROOT,
        {"name": f"{PREFIX}coerced", "description": 7, "legalValues": [{"value": 5}]},
    ),
    step("create-unknown-key-dropped", "POST", ROOT, {"name": f"{PREFIX}extra", "foo": 1}),
    step("create-duplicate", "POST", ROOT, {"name": f"{PREFIX}tier"}),
    step(
        "create-duplicate-before-rules",
        "POST",
        ROOT,
        {"name": f"{PREFIX}tier", "description": "d" * 300},
    ),
    step("create-name-not-url-friendly", "POST", ROOT, {"name": f"{PREFIX}a b"}),
    step("create-name-empty", "POST", ROOT, {"name": ""}),
    step("create-name-dot", "POST", ROOT, {"name": "."}),
    step("create-name-too-long", "POST", ROOT, {"name": PREFIX + "n" * 100}),
    step("create-name-missing", "POST", ROOT, {"description": "d"}),
    step(
        "create-description-too-long",
        "POST",
        ROOT,
        {"name": f"{PREFIX}d", "description": "d" * 251},
    ),
    step(
        "create-description-before-legal-values",
        "POST",
        ROOT,
        {"name": f"{PREFIX}d", "description": "d" * 251, "legalValues": [{"value": ""}]},
    ),
    step(
        "create-legal-value-duplicate",
        "POST",
        ROOT,
        {
            "name": f"{PREFIX}d",
            "legalValues": [{"value": "a"}, {"value": "b"}, {"value": "a", "description": "x"}],
        },
    ),
    step(
        "create-legal-value-items-before-duplicates",
        "POST",
        ROOT,
        {"name": f"{PREFIX}d", "legalValues": [{"value": "a"}, {"value": "a"}, {"value": ""}]},
    ),
    step(
        "create-legal-value-empty",
        "POST",
        ROOT,
        {"name": f"{PREFIX}d", "legalValues": [{"value": ""}]},
    ),
    step(
        "create-legal-value-too-long",
        "POST",
        ROOT,
        {"name": f"{PREFIX}d", "legalValues": [{"value": LONG}]},
    ),
    step(
        "create-legal-value-extra-property",
        "POST",
        ROOT,
        {"name": f"{PREFIX}d", "legalValues": [{"value": "a", "colour": "red"}]},
    ),
    step(
        "create-legal-value-missing-value",
        "POST",
        ROOT,
        {"name": f"{PREFIX}d", "legalValues": [{"description": "a"}]},
    ),
    step("create-legal-values-null", "POST", ROOT, {"name": f"{PREFIX}d", "legalValues": None}),
    step("create-stickiness-string", "POST", ROOT, {"name": f"{PREFIX}d", "stickiness": "yes"}),
    step("create-sort-order-float", "POST", ROOT, {"name": f"{PREFIX}d", "sortOrder": 1.5}),
    step("create-sort-order-string", "POST", ROOT, {"name": f"{PREFIX}d", "sortOrder": "a"}),
    step("create-project-empty", "POST", ROOT, {"name": f"{PREFIX}d", "project": ""}),
    step("create-project-null", "POST", ROOT, {"name": f"{PREFIX}d", "project": None}),
    step("create-body-array", "POST", ROOT, [{"name": f"{PREFIX}d"}]),
    step(
        "create-text-plain",
        "POST",
        ROOT,
        raw='{"name": "h1-rec-d"}',
        content_type="text/plain",
    ),
    step("create-no-credentials", "POST", ROOT, {"name": f"{PREFIX}d"}, auth=None),
    step("get", "GET", TIER),
    step("get-minimal", "GET", f"{ROOT}/{PREFIX}min"),
    step("get-missing", "GET", f"{ROOT}/{PREFIX}nope"),
    step("get-no-credentials", "GET", TIER, auth=None),
    step("validate-free", "POST", f"{ROOT}/validate", {"name": f"{PREFIX}free"}),
    step("validate-taken", "POST", f"{ROOT}/validate", {"name": f"{PREFIX}tier"}),
    step("validate-built-in-taken", "POST", f"{ROOT}/validate", {"name": "userId"}),
    step("validate-not-url-friendly", "POST", f"{ROOT}/validate", {"name": "a/b"}),
    step("validate-empty", "POST", f"{ROOT}/validate", {"name": ""}),
    step("validate-too-long", "POST", f"{ROOT}/validate", {"name": "v" * 101}),
    step("validate-missing", "POST", f"{ROOT}/validate", {}),
    step("validate-extra", "POST", f"{ROOT}/validate", {"name": f"{PREFIX}free", "x": 1}),
    step(
        "update-replaces-the-field",
        "PUT",
        TIER,
        {"description": "Tier", "legalValues": [{"value": "bronze"}], "sortOrder": 3},
    ),
    step("get-after-update", "GET", TIER),
    step("update-keeps-a-missing-description", "PUT", TIER, {"stickiness": True}),
    step("get-after-stickiness", "GET", TIER),
    step("update-name-in-body-ignored", "PUT", TIER, {"name": f"{PREFIX}other"}),
    step("get-after-name", "GET", TIER),
    step("update-missing", "PUT", f"{ROOT}/{PREFIX}nope", {"description": "x"}),
    step(
        "update-missing-before-rules",
        "PUT",
        f"{ROOT}/{PREFIX}nope",
        {"legalValues": [{"value": ""}]},
    ),
    step("update-legal-value-empty", "PUT", TIER, {"legalValues": [{"value": ""}]}),
    step(
        "update-legal-value-duplicate",
        "PUT",
        TIER,
        {"legalValues": [{"value": "a"}, {"value": "a"}]},
    ),
    step("update-description-too-long", "PUT", TIER, {"description": "d" * 251}),
    step("update-sort-order-string", "PUT", TIER, {"sortOrder": "x"}),
    step("legal-value-add", "POST", f"{TIER}/legal-values", {"value": "gold", "description": "G"}),
    step("legal-value-add-another", "POST", f"{TIER}/legal-values", {"value": "silver"}),
    step(
        "legal-value-replace",
        "POST",
        f"{TIER}/legal-values",
        {"value": "gold", "description": "Gold"},
    ),
    step("get-after-legal-values", "GET", TIER),
    step("legal-value-empty", "POST", f"{TIER}/legal-values", {"value": ""}),
    step("legal-value-too-long", "POST", f"{TIER}/legal-values", {"value": LONG}),
    step("legal-value-missing-value", "POST", f"{TIER}/legal-values", {"description": "d"}),
    step(
        "legal-value-extra-property",
        "POST",
        f"{TIER}/legal-values",
        {"value": "v", "extra": True},
    ),
    step(
        "legal-value-missing-field",
        "POST",
        f"{ROOT}/{PREFIX}nope/legal-values",
        {"value": "v"},
    ),
    step("legal-value-delete", "DELETE", f"{TIER}/legal-values/silver"),
    step("legal-value-delete-absent", "DELETE", f"{TIER}/legal-values/nothing"),
    step("legal-value-delete-missing-field", "DELETE", f"{ROOT}/{PREFIX}nope/legal-values/v"),
    step("get-after-legal-value-delete", "GET", TIER),
    step(
        "update-unchanged-records-no-event",
        "PUT",
        TIER,
        {"description": "Tier", "legalValues": [{"value": "gold", "description": "Gold"}]},
    ),
    step(
        "legal-value-unchanged-records-no-event",
        "POST",
        f"{TIER}/legal-values",
        {"value": "gold", "description": "Gold"},
    ),
    step("setup-flag", "POST", FEATURES, {"name": f"{PREFIX}flag"}, setup=True),
    _strategy("flag", "development", [_on("tier")]),
    _strategy("flag", "production", [_on("tier"), _on("tier"), _on("coerced", "5")]),
    step("setup-archived-flag", "POST", FEATURES, {"name": f"{PREFIX}gone"}, setup=True),
    _strategy("gone", "development", [_on("min")]),
    step("setup-archive", "DELETE", f"{FEATURES}/{PREFIX}gone", setup=True),
    step("strategies", "GET", f"{TIER}/strategies"),
    step("strategies-of-archived-flag", "GET", f"{ROOT}/{PREFIX}min/strategies"),
    step("strategies-missing-field", "GET", f"{ROOT}/{PREFIX}nope/strategies"),
    step("list-with-usage", "GET", ROOT),
    step("delete-in-use", "DELETE", TIER),
    step("delete", "DELETE", f"{ROOT}/{PREFIX}min"),
    step("delete-again", "DELETE", f"{ROOT}/{PREFIX}min"),
    step(
        "project-create",
        "POST",
        PROJECT,
        {"name": f"{PREFIX}proj", "legalValues": [{"value": "p"}], "project": "elsewhere"},
    ),
    step("project-create-duplicate", "POST", PROJECT, {"name": f"{PREFIX}tier"}),
    step("project-create-bad-name", "POST", PROJECT, {"name": "a b"}),
    step(
        "create-in-project-through-root",
        "POST",
        ROOT,
        {"name": f"{PREFIX}rootproj", "project": "default", "sortOrder": 2},
    ),
    step("list-root-only", "GET", ROOT),
    step("list-include-project", "GET", f"{ROOT}?include=project"),
    step("list-include-project-upper-case", "GET", f"{ROOT}?include=PROJECT"),
    step("list-include-other", "GET", f"{ROOT}?include=projects"),
    step("list-include-twice", "GET", f"{ROOT}?include=project&include=root"),
    step("project-list", "GET", PROJECT),
    step("project-list-include-root", "GET", f"{PROJECT}?include=Root"),
    step("project-list-include-project", "GET", f"{PROJECT}?include=project"),
    step("project-list-other-project", "GET", "/api/admin/projects/h1-rec-none/context"),
    step("get-project-field-through-root", "GET", f"{ROOT}/{PREFIX}proj"),
    step("project-get-root-field", "GET", f"{PROJECT}/{PREFIX}tier"),
    step("project-get-missing", "GET", f"{PROJECT}/{PREFIX}nope"),
    step("project-update-root-field", "PUT", f"{PROJECT}/{PREFIX}tier", {"description": "x"}),
    step("project-update-missing", "PUT", f"{PROJECT}/{PREFIX}nope", {"description": "x"}),
    step("project-update", "PUT", f"{PROJECT}/{PREFIX}proj", {"description": "In a project"}),
    step("project-get-after-update", "GET", f"{PROJECT}/{PREFIX}proj"),
    step("update-project-field-through-root", "PUT", f"{ROOT}/{PREFIX}proj", {"stickiness": True}),
    step("get-project-field-after-root-update", "GET", f"{ROOT}/{PREFIX}proj"),
    step(
        "project-legal-value-add",
        "POST",
        f"{PROJECT}/{PREFIX}proj/legal-values",
        {"value": "q", "description": "Q"},
    ),
    step(
        "project-legal-value-root-field",
        "POST",
        f"{PROJECT}/{PREFIX}tier/legal-values",
        {"value": "q"},
    ),
    step("project-legal-value-delete", "DELETE", f"{PROJECT}/{PREFIX}proj/legal-values/q"),
    step(
        "project-legal-value-delete-root-field",
        "DELETE",
        f"{PROJECT}/{PREFIX}tier/legal-values/gold",
    ),
    step("project-validate-taken", "POST", f"{PROJECT}/validate", {"name": f"{PREFIX}tier"}),
    step("project-validate-free", "POST", f"{PROJECT}/validate", {"name": f"{PREFIX}free"}),
    step("project-strategies", "GET", f"{PROJECT}/{PREFIX}tier/strategies"),
    step("project-delete-root-field", "DELETE", f"{PROJECT}/{PREFIX}tier"),
    step("project-delete", "DELETE", f"{PROJECT}/{PREFIX}proj"),
    step("project-delete-again", "DELETE", f"{PROJECT}/{PREFIX}proj"),
    step("update-no-content-type", "PUT", TIER),
    step("legal-value-no-content-type", "POST", f"{TIER}/legal-values"),
    step("validate-no-content-type", "POST", f"{ROOT}/validate"),
    step("validate-empty-json-body", "POST", f"{ROOT}/validate", raw=""),
    step("update-empty-json-body", "PUT", TIER, raw=""),
    step("get-after-empty-update", "GET", TIER),
    step("legal-value-add-with-slash", "POST", f"{TIER}/legal-values", {"value": "a/b c"}),
    step("legal-value-add-unicode", "POST", f"{TIER}/legal-values", {"value": "é"}),
    step("legal-value-delete-encoded-slash", "DELETE", f"{TIER}/legal-values/a%2Fb%20c"),
    step("get-after-encoded-delete", "GET", TIER),
    step("list-at-the-end", "GET", f"{ROOT}?include=project"),
]


def shape(body: Any) -> Any:
    """What is compared of an answer: the built-in fields and this scenario's only (the
    reference is shared), volatile values as placeholders. How often the built-in fields are
    used depends on whoever else uses the reference, so those counts are not compared."""
    if isinstance(body, list) and all(isinstance(f, dict) and "name" in f for f in body):
        kept = []
        for field in body:
            if field["name"] in BUILT_IN:
                field = {**field}
                for key in ("usedInFeatures", "usedInProjects"):
                    if key in field:
                        field[key] = "<count>"
                kept.append(field)
            elif field["name"].startswith(PREFIX):
                kept.append(field)
        body = kept
    return normalise(body)


EVENT_KEYS = ("type", "createdBy", "data", "preData", "project", "featureName", "groupType")


def ours(event: dict[str, Any]) -> bool:
    if not event["type"].startswith("context-field-"):
        return False
    named = [b.get("name") for b in (event.get("data"), event.get("preData")) if b]
    return any(isinstance(n, str) and n.startswith(PREFIX) for n in named)


def event_shape(event: dict[str, Any]) -> dict[str, Any]:
    kept: dict[str, Any] = normalise({key: event.get(key) for key in EVENT_KEYS})
    return kept


def send(http: httpx.Client, item: dict[str, Any]) -> httpx.Response:
    headers: dict[str, str] = {}
    auth = item.get("auth", "admin")
    if auth is not None:
        headers["Authorization"] = TOKENS[auth]
    content: bytes | None = None
    if "raw" in item:
        content = item["raw"].encode()
    elif item["body"] is not None:
        content = json.dumps(item["body"]).encode()
    if content is not None:
        headers["Content-Type"] = item.get("content_type", "application/json")
    return http.request(item["method"], item["path"], content=content, headers=headers)


def answer(response: httpx.Response) -> dict[str, Any]:
    body = response.json() if response.content.strip() else None
    recorded: dict[str, Any] = {"status": response.status_code, "body": shape(body)}
    if "location" in response.headers:
        recorded["location"] = response.headers["location"]
    return recorded


def last_event_id(http: httpx.Client) -> int:
    events = http.get("/api/admin/events", headers={"Authorization": TOKENS["admin"]}).json()
    return max((e["id"] for e in events["events"]), default=0)


def new_events(http: httpx.Client, after: int) -> list[dict[str, Any]]:
    listed = http.get("/api/admin/events", headers={"Authorization": TOKENS["admin"]}).json()
    found = [e for e in listed["events"] if e["id"] > after and ours(e)]
    return [event_shape(e) for e in sorted(found, key=lambda e: e["id"])]


def clean(http: httpx.Client) -> None:
    admin = {"Authorization": TOKENS["admin"]}
    for flag in ("flag", "gone"):
        http.delete(f"{FEATURES}/{PREFIX}{flag}", headers=admin)
        http.delete(f"/api/admin/archive/{PREFIX}{flag}", headers=admin)
    listed = http.get(f"{ROOT}?include=project", headers=admin).json()
    for field in listed:
        if field["name"].startswith(PREFIX):
            http.delete(f"{ROOT}/{field['name']}", headers=admin).raise_for_status()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base-url", default="http://127.0.0.1:4243")
    args = parser.parse_args(argv)
    recorded: list[dict[str, Any]] = []
    with httpx.Client(base_url=args.base_url) as http:
        clean(http)
        for item in STEPS:
            before = last_event_id(http)
            response = send(http, item)
            if item.get("setup"):
                response.raise_for_status()
                recorded.append({"request": item})
                continue
            recorded.append(
                {"request": item, **answer(response), "events": new_events(http, before)}
            )
    FIXTURE.parent.mkdir(exist_ok=True)
    FIXTURE.write_text(json.dumps(recorded, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(recorded)} steps written to {FIXTURE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
