"""Shared by the export/import tests: the recorded reference answers, the seeded instance,
and the normalising that lets leash's answers be compared with them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from export_seed import SEED
from fastapi.testclient import TestClient

from reference_replay import normalise, run
from support import ADMIN

REFERENCE: dict[str, Any] = json.loads(
    (Path(__file__).parent / "fixtures" / "reference.json").read_text()
)
EXPORT = "/api/admin/features-batch/export"
VALIDATE = "/api/admin/features-batch/validate"
IMPORT = "/api/admin/features-batch/import"


def seed(client: TestClient) -> None:
    answers = run(client, SEED, prefix="", headers=ADMIN)
    failed = {name: a for name, a in answers.items() if a["status"] >= 300}
    assert failed == {}


def comparable(body: Any) -> Any:
    """Normalised as the fixtures are; feature tags sorted (Unleash reads them in no order)."""
    body = normalise(body, "")
    if isinstance(body, dict) and isinstance(body.get("featureTags"), list):
        body["featureTags"] = sorted(
            body["featureTags"], key=lambda t: (t["featureName"], t["tagType"], t["tagValue"])
        )
    return body
