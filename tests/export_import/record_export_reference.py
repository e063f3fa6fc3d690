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

from export_cases import EXPORTS, IMPORTS, VALIDATIONS  # noqa: E402
from export_seed import SEED  # noqa: E402

from reference_replay import normalise, run  # noqa: E402

ADMIN = {"Authorization": "*:*.admin-secret"}


def _answer(response: httpx.Response, *, headers: tuple[str, ...] = ()) -> dict[str, Any]:
    text = response.text
    try:
        body: Any = normalise(response.json(), "") if text else None
    except ValueError:
        body = text
    answer: dict[str, Any] = {"status": response.status_code, "body": body}
    if headers:
        answer["headers"] = {name: response.headers.get(name) for name in headers}
    return answer


def _pat(http: httpx.Client) -> dict[str, str]:
    login = http.post("/auth/simple/login", json={"username": "admin", "password": "unleash4all"})
    login.raise_for_status()
    created = http.post(
        "/api/admin/user/tokens",
        json={"description": "import", "expiresAt": "2099-01-01T00:00:00.000Z"},
    )
    created.raise_for_status()
    http.cookies.clear()
    return {"Authorization": created.json()["secret"]}


def main() -> None:
    out: dict[str, Any] = {}
    with httpx.Client(base_url="http://127.0.0.1:4245", timeout=30) as http:
        seeded = run(http, SEED, prefix="", headers=ADMIN)
        failed = {k: v for k, v in seeded.items() if v["status"] >= 300}
        if failed:
            raise SystemExit(f"seed failed: {failed}")
        out["export"] = {
            name: _answer(
                http.post("/api/admin/features-batch/export", json=body, headers=ADMIN),
                headers=("content-type", "content-disposition"),
            )
            for name, body in EXPORTS.items()
        }
        pat = _pat(http)
        out["validate"] = {
            name: _answer(http.post("/api/admin/features-batch/validate", json=body, headers=pat))
            for name, body in VALIDATIONS.items()
        }
        imports: dict[str, Any] = {}
        for name, (token, body, reads) in IMPORTS.items():
            headers = ADMIN if token == "admin" else pat
            answer = _answer(
                http.post("/api/admin/features-batch/import", json=body, headers=headers)
            )
            answer["reads"] = {path: _answer(http.get(path, headers=ADMIN)) for path in reads}
            imports[name] = answer
        out["import"] = imports
    (HERE / "fixtures" / "reference.json").write_text(
        json.dumps(out, indent=1, sort_keys=True) + "\n"
    )


if __name__ == "__main__":
    main()
