"""Record fixtures/answers.json from the reference Unleash 8.2.0 on :4243 (not run by tests):
`.venv/bin/python tests/search/record_search.py`."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from search_scenario import SETUP, STEPS  # noqa: E402

from reference_replay import run  # noqa: E402

ADMIN = {"Authorization": "*:*.admin-secret"}


class _Patient(httpx.HTTPTransport):
    """The shared reference limits requests per token: wait and ask again on 429."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        for _ in range(30):
            response = super().handle_request(request)
            if response.status_code != 429:
                return response
            response.read()
            time.sleep(5)
        return response


def _settle(name: str) -> None:
    if name.startswith("create"):
        time.sleep(2)


def main() -> None:
    prefix = f"h4-{int(time.time())}-"
    with httpx.Client(base_url="http://127.0.0.1:4243", transport=_Patient()) as http:
        # A stage entered right after the flag's creation would come before the reference's
        # own `initial` (entered a moment after the event): wait after each creation.
        setup = run(http, SETUP, prefix=prefix, headers=ADMIN, settle=_settle)
        assert all(a["status"] < 300 for a in setup.values()), setup
        time.sleep(2.5)  # the reference enters lifecycle stages a moment after the events
        # The reference limits how often one token may search.
        answers = run(http, STEPS, prefix=prefix, headers=ADMIN, settle=lambda _: time.sleep(0.5))
    (HERE / "fixtures" / "answers.json").write_text(json.dumps(answers, indent=1) + "\n")


if __name__ == "__main__":
    main()
