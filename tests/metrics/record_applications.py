"""Record what Unleash 8.2.0 answers on its applications and metrics views ->
fixtures/applications.json. Needs an empty reference server (its database started afresh):

    /work/briefs/ref3 --fresh      # or ../shared/tools/reference-unleash --fresh
    .venv/bin/python tests/metrics/record_applications.py [http://127.0.0.1:4247]

Unleash writes registrations every 20 s and metrics every 5 s, so this waits 25 s after the
SDK traffic before reading.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import appkit  # noqa: E402

from support import ADMIN  # noqa: E402

OUT = HERE / "fixtures" / "applications.json"


def answer(response: httpx.Response) -> dict[str, Any]:
    body: Any = response.json() if response.content else None
    return {"status": response.status_code, "body": appkit.normalise(body)}


def main() -> int:
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:4247"
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    recorded: dict[str, Any] = {}
    with httpx.Client(base_url=base, timeout=10) as http:
        recorded["sdk_statuses"] = appkit.seed(http, now=now)
        time.sleep(25)
        for name, path in appkit.READS.items():
            recorded[name] = answer(http.get(path, headers=ADMIN))
        for name, method, path, body in appkit.WRITES:
            recorded[name] = answer(http.request(method, path, json=body, headers=ADMIN))
        for name, path in appkit.READS_AFTER_WRITES.items():
            recorded[name] = answer(http.get(path, headers=ADMIN))
        for name, path in appkit.DELETES:
            recorded[name] = answer(http.delete(path, headers=ADMIN))
        for name, path in appkit.READS_AFTER_DELETES.items():
            recorded[name] = answer(http.get(path, headers=ADMIN))
    OUT.write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
