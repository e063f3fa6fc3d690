"""Flag searches replayed against leash, compared with the answers Unleash 8.2.0 gave for the
same searches over the same flags (fixtures/answers.json, recorded by record_search.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from search_scenario import SETUP, STEPS
from sqlalchemy import Engine, insert

from leash.features.models import feature_dependencies
from reference_replay import run
from support import ADMIN

RECORDED: dict[str, Any] = json.loads(
    (Path(__file__).parent / "fixtures" / "answers.json").read_text()
)


def _setup(client: TestClient) -> None:
    """The scenario's flags and tags; its dependency written directly."""
    db: Engine = client.app.state.db  # type: ignore[attr-defined]
    for name, method, path, body in SETUP:
        if name == "depend":
            with db.begin() as conn:
                conn.execute(insert(feature_dependencies).values(parent="s-a", child="s-b"))
            continue
        answer = run(client, [(name, method, path, body)], prefix="", headers=ADMIN)[name]
        assert answer["status"] < 300, (name, answer)
    client.app.state.changed()  # type: ignore[attr-defined]


def test_search_scenario__answers_as_unleash_8_2(client: TestClient) -> None:
    _setup(client)
    answers = run(client, STEPS, prefix="", headers=ADMIN)
    expected = {name: RECORDED[name] for name, *_ in STEPS}
    differing = [name for name in expected if answers[name] != expected[name]]
    assert {n: answers[n] for n in differing} == {n: expected[n] for n in differing}
