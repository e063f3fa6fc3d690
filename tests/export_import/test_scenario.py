"""The whole recorded scenario (seed, exports, validations, imports) replayed against leash and
compared with the reference's answers."""

from __future__ import annotations

from typing import Any

from exportkit import REFERENCE, comparable
from fastapi.testclient import TestClient
from record_export_reference import record


def test_scenario__every_answer_as_reference(client: TestClient) -> None:
    answers: dict[str, Any] = record(client)
    for section in ("validate", "import", "edges"):
        for name, expected in REFERENCE[section].items():
            assert comparable(answers[section][name]) == comparable(expected), (section, name)
