"""Records the reference Unleash's answers to the export/import API into fixtures/.

Run by hand against a fresh reference (never by the tests):
    /work/briefs/ref1 --fresh && .venv/bin/python tests/export_import/record_export_reference.py
The reference's strategy ids, link ids and timestamps are normalised (reference_replay)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from export_cases import EDGES, EXPORTS, PASSWORD, READS, USERS, imports, validations  # noqa: E402
from export_seed import SEED  # noqa: E402

from reference_replay import normalise, run  # noqa: E402

ADMIN = {"Authorization": "*:*.admin-secret"}


def answer(response: httpx.Response, *, headers: tuple[str, ...] = ()) -> dict[str, Any]:
    text = response.text
    try:
        body: Any = normalise(response.json(), "") if text else None
    except ValueError:
        body = text
    result: dict[str, Any] = {"status": response.status_code, "body": body}
    if headers:
        result["headers"] = {name: response.headers.get(name) for name in headers}
    return result


def pat(http: Any, *, username: str, role: int) -> dict[str, str]:
    """A user of `role` (1 Admin, 3 Viewer) and a personal access token of theirs."""
    created = http.post(
        "/api/admin/user-admin",
        headers=ADMIN,
        json={"username": username, "rootRole": role, "password": PASSWORD},
    )
    assert created.status_code == 201, created.text
    login = http.post("/auth/simple/login", json={"username": username, "password": PASSWORD})
    assert login.status_code == 200, login.text
    token = http.post(
        "/api/admin/user/tokens",
        json={"description": "import", "expiresAt": "2099-01-01T00:00:00.000Z"},
    )
    assert token.status_code == 201, token.text
    http.cookies.clear()
    return {"Authorization": token.json()["secret"]}


def event_keys(http: Any, *, after: int) -> list[list[Any]]:
    """The events written since event `after`, as sorted (type, flag, project, environment)."""
    events = http.get("/api/admin/events", headers=ADMIN).json()["events"]
    return sorted(
        [e["type"], e["featureName"], e["project"], e["environment"]]
        for e in events
        if e["id"] > after
    )


def last_event(http: Any) -> int:
    events = http.get("/api/admin/events", headers=ADMIN).json()["events"]
    return max((int(e["id"]) for e in events), default=0)


def record(http: Any) -> dict[str, Any]:
    """The whole scenario against `http` (the reference here; leash's TestClient in tests)."""
    seeded = run(http, SEED, prefix="", headers=ADMIN)
    failed = {k: v for k, v in seeded.items() if v["status"] >= 300}
    assert not failed, f"seed failed: {failed}"
    out: dict[str, Any] = {}
    out["export"] = {
        name: answer(
            http.post("/api/admin/features-batch/export", json=body, headers=ADMIN),
            headers=("content-type", "content-disposition"),
        )
        for name, body in EXPORTS.items()
    }
    exported = http.post(
        "/api/admin/features-batch/export", json=EXPORTS["project"], headers=ADMIN
    ).json()
    tokens = {kind: pat(http, username=name, role=role) for kind, (name, role) in USERS.items()}
    tokens["admin-token"] = ADMIN
    out["validate"] = {
        name: answer(
            http.post("/api/admin/features-batch/validate", json=body, headers=tokens[who])
        )
        for name, (who, body) in validations(exported).items()
    }
    out["import"] = {}
    for name, who, body in imports(exported):
        before = last_event(http)
        result = answer(
            http.post("/api/admin/features-batch/import", json=body, headers=tokens[who])
        )
        if result["status"] == 200:
            result["events"] = event_keys(http, after=before)
            result["reads"] = [
                answer(http.request(method, path, json=read_body, headers=ADMIN))
                for method, path, read_body in READS
            ]
        out["import"][name] = result
    out["edges"] = {
        name: [
            answer(
                http.post(f"/api/admin/features-batch/{kind}", json=body, headers=tokens["admin"])
            )
            for kind in ("validate", "import")
        ]
        for name, body in EDGES
    }
    return out


def main() -> None:
    with httpx.Client(base_url="http://127.0.0.1:4245", timeout=30) as http:
        out = record(http)
    text = json.dumps(out, indent=1, sort_keys=True) + "\n"
    (HERE / "fixtures" / "reference.json").write_text(text)


if __name__ == "__main__":
    main()
