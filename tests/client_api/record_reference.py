"""Record what Unleash answers on the client and frontend APIs -> reference_answers.json.

Recorded from 7.5.1, then from 8.2.0 (2026-12-02): the normalised answers were identical.

The reference server is shared, so every name gets a unique suffix, which the normaliser turns
back into the names the tests use (flagkit.reference_flag). Volatile values (ids, uuids, ETags,
revision ids, timestamps) become placeholders.

    /work/shared/tools/reference-unleash      # starts it on :4243 if it is not up
    .venv/bin/python tests/client_api/record_reference.py
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import flagkit  # noqa: E402
from flagkit import normalise  # noqa: E402
from support import ADMIN, CLIENT, FRONTEND  # noqa: E402

OUT = HERE / "reference_answers.json"


def answer(response: httpx.Response, *, suffix: str) -> dict[str, Any]:
    body: Any = response.text
    if response.headers.get("content-type", "").startswith("application/json"):
        body = response.json()
    return {
        "status": response.status_code,
        "content_type": response.headers.get("content-type"),
        "body": normalise(body, suffix=suffix),
    }


def main() -> int:
    suffix = "-" + uuid.uuid4().hex[:6]
    segment, flag = "cq-beta" + suffix, "cq-seg-flag" + suffix
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    with httpx.Client(base_url="http://127.0.0.1:4243", timeout=10) as http:
        flagkit.reference_flag(http, segment=segment, flag=flag)
        # Unleash refreshes the frontend API's state about once a second; wait until it has it.
        for _ in range(30):
            seen = http.get(
                "/api/frontend", params={"userId": "alice", "appVersion": "2.0.0"}, headers=FRONTEND
            )
            if any(t["name"] == flag for t in seen.json()["toggles"]):
                break
            time.sleep(0.5)
        prefix = {"namePrefix": flag}
        segments_mode = {**CLIENT, "Unleash-Client-Spec": "4.3.0"}
        answers: dict[str, Any] = {
            "client_features_segments_mode": http.get(
                "/api/client/features", params=prefix, headers=segments_mode
            ),
            "client_features_inline_mode": http.get(
                "/api/client/features", params=prefix, headers=CLIENT
            ),
            "client_feature_segments_mode": http.get(
                f"/api/client/features/{flag}", headers=segments_mode
            ),
            "client_feature_inline_mode": http.get(f"/api/client/features/{flag}", headers=CLIENT),
            "client_feature_unknown": http.get("/api/client/features/nope", headers=CLIENT),
            "client_spec_bad_prefix": http.get(
                "/api/client/features", headers={**CLIENT, "Unleash-Client-Spec": "abc"}
            ),
            "client_spec_bad_semver": http.get(
                "/api/client/features", headers={**CLIENT, "Unleash-Client-Spec": "4.x"}
            ),
            "client_no_token": http.get("/api/client/features"),
            "client_unknown_token": http.get(
                "/api/client/features", headers={"Authorization": "nope"}
            ),
            "client_frontend_token": http.get("/api/client/features", headers=FRONTEND),
            "register_ok": http.post(
                "/api/client/register",
                headers=CLIENT,
                json={
                    "appName": "cq-app" + suffix,
                    "instanceId": "i1",
                    "strategies": ["default"],
                    "started": now,
                    "interval": 1000,
                },
            ),
            "register_missing_fields": http.post(
                "/api/client/register", headers=CLIENT, json={"appName": "cq-app" + suffix}
            ),
            "register_bad_started": http.post(
                "/api/client/register",
                headers=CLIENT,
                json={
                    "appName": "cq-app" + suffix,
                    "strategies": [],
                    "started": "notadate",
                    "interval": 1,
                },
            ),
            "metrics_bad_start": http.post(
                "/api/client/metrics",
                headers=CLIENT,
                json={
                    "appName": "cq-app" + suffix,
                    "bucket": {"start": 1.5, "stop": now, "toggles": {}},
                },
            ),
            "metrics_ok": http.post(
                "/api/client/metrics",
                headers=CLIENT,
                json={
                    "appName": "cq-app" + suffix,
                    "instanceId": "i1",
                    "bucket": {
                        "start": now,
                        "stop": now,
                        "toggles": {
                            flag: {"yes": 3, "no": 1, "variants": {"blue": 3}},
                            "cq-unknown" + suffix: {"yes": 9, "no": 9},
                        },
                    },
                },
            ),
            "metrics_negative_count": http.post(
                "/api/client/metrics",
                headers=CLIENT,
                json={
                    "appName": "cq-app" + suffix,
                    "bucket": {"start": now, "stop": now, "toggles": {flag: {"yes": -1, "no": 1}}},
                },
            ),
            "metrics_no_app_name": http.post(
                "/api/client/metrics", headers=CLIENT, json={"bucket": {}}
            ),
            "metrics_unsafe_count": http.post(
                "/api/client/metrics",
                headers=CLIENT,
                json={
                    "appName": "cq-app2" + suffix,
                    "bucket": {
                        "start": now,
                        "stop": now,
                        "toggles": {flag: {"yes": 1, "no": 1}, "x": {"yes": 10**20, "no": 1}},
                    },
                },
            ),
            "frontend_get_alice": http.get(
                "/api/frontend",
                params={"userId": "alice", "properties[appVersion]": "2.0.0"},
                headers=FRONTEND,
            ),
            "frontend_get_carol": http.get(
                "/api/frontend", params={"userId": "carol", "appVersion": "2.0.0"}, headers=FRONTEND
            ),
            "frontend_post_bob": http.post(
                "/api/frontend",
                headers=FRONTEND,
                json={"context": {"userId": "bob", "properties": {"appVersion": "1.5.0"}}},
            ),
            "frontend_post_empty": http.post("/api/frontend", headers=FRONTEND, json={}),
            "frontend_client_token": http.get("/api/frontend", headers=CLIENT),
            "frontend_no_token": http.get("/api/frontend"),
            "frontend_metrics_ok": http.post(
                "/api/frontend/client/metrics",
                headers=FRONTEND,
                json={
                    "appName": "cq-web" + suffix,
                    "instanceId": "b1",
                    "bucket": {"start": now, "stop": now, "toggles": {flag: {"yes": 2, "no": 5}}},
                },
            ),
            "frontend_metrics_bad": http.post(
                "/api/frontend/client/metrics", headers=FRONTEND, json={"bucket": {}}
            ),
            "frontend_metrics_unsafe_count": http.post(
                "/api/frontend/client/metrics",
                headers=FRONTEND,
                json={
                    "appName": "cq-web" + suffix,
                    "bucket": {
                        "start": now,
                        "stop": now,
                        "toggles": {flag: {"yes": 10**20, "no": 1}},
                    },
                },
            ),
            "frontend_register_ok": http.post(
                "/api/frontend/client/register",
                headers=FRONTEND,
                json={
                    "appName": "cq-web" + suffix,
                    "instanceId": "b1",
                    "started": now,
                    "interval": 10000,
                    "strategies": [],
                },
            ),
            "frontend_register_bad": http.post(
                "/api/frontend/client/register", headers=FRONTEND, json={"x": 1}
            ),
        }
        recorded = {name: answer(response, suffix=suffix) for name, response in answers.items()}
        # The shared server lists every segment any flag uses; keep this recording's own.
        raw = answers["client_features_segments_mode"].json()
        raw["segments"] = [s for s in raw["segments"] if s["name"] == segment]
        recorded["client_features_segments_mode"]["body"] = normalise(raw, suffix=suffix)
        # Likewise the frontend API evaluates every flag on the server; keep this one's.
        for name in (
            "frontend_get_alice",
            "frontend_get_carol",
            "frontend_post_bob",
            "frontend_post_empty",
        ):
            raw = answers[name].json()
            raw["toggles"] = [t for t in raw["toggles"] if t["name"] == flag]
            recorded[name]["body"] = normalise(raw, suffix=suffix)
        # Unleash writes metrics in the background, every few seconds; wait for them on purpose.
        for _ in range(30):
            summary = http.get(f"/api/admin/client-metrics/features/{flag}", headers=ADMIN).json()
            if summary["lastHourUsage"]:
                break
            time.sleep(1)
        recorded["admin_feature_metrics"] = {
            "status": 200,
            "content_type": None,
            "body": normalise(summary, suffix=suffix),
        }
        unknown = http.get(f"/api/admin/client-metrics/features/cq-unknown{suffix}", headers=ADMIN)
        recorded["admin_unknown_feature_metrics"] = answer(unknown, suffix=suffix)
    OUT.write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n")
    print(f"recorded {len(recorded)} answers -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
