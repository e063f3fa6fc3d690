"""Record what Unleash 8.2.0 answers on getUnknownFlags -> fixtures/unknown_flags.json. Needs
an empty reference server (see record_applications.py); Unleash writes unknown flags every 2
minutes, so this waits 130 s after the reports.

    .venv/bin/python tests/metrics/record_unknown_flags.py [http://127.0.0.1:4247]
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import appkit  # noqa: E402

from support import ADMIN  # noqa: E402

OUT = HERE / "fixtures" / "unknown_flags.json"


def main() -> int:
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:4247"
    now = datetime.now(UTC).replace(microsecond=0)
    stops = [
        (now - timedelta(minutes=m)).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        for m in (30, 20, 10)
    ]
    with httpx.Client(base_url=base, timeout=10) as http:
        statuses = appkit.seed_unknown(http, stops=stops)
        time.sleep(130)
        got = http.get("/api/admin/metrics/unknown-flags", headers=ADMIN)
    recorded = {
        "stops": stops,
        "statuses": statuses,
        "answer": {"status": got.status_code, "body": got.json()},
    }
    OUT.write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
