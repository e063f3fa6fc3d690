"""Record fixtures/answers.json from the reference Unleash 8.2.0 on :4243 (not run by tests):
`.venv/bin/python tests/archive/record_archive.py`."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from archive_scenario import FLAGS, SETUP, STEPS  # noqa: E402

from reference_replay import flag_events, run  # noqa: E402

ADMIN = {"Authorization": "*:*.admin-secret"}


def _settle(name: str) -> None:
    if name.startswith(("revive", "archive", "create", "clone")):
        time.sleep(1.5)


def main() -> None:
    prefix = f"h4-{int(time.time())}-"
    with httpx.Client(base_url="http://127.0.0.1:4243") as http:
        setup = run(http, SETUP, prefix=prefix, headers=ADMIN)
        assert all(a["status"] < 300 for a in setup.values()), setup
        time.sleep(2)
        answers = run(http, STEPS, prefix=prefix, headers=ADMIN, settle=_settle)
        events = flag_events(http, prefix=prefix, headers=ADMIN, names=FLAGS)
    out = {"answers": answers, "events": events}
    (HERE / "fixtures" / "answers.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
