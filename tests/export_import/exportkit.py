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


def _ordered(value: Any) -> Any:
    """What Unleash reads in no order put in one: feature tags, permission names, dependencies,
    strategies (Unleash loses their order on import; leash keeps it, tested on its own), and
    the lifecycle stage Unleash enters a moment after the flag is created."""
    if isinstance(value, list):
        return [_ordered(item) for item in value]
    if not isinstance(value, dict):
        return value
    value = {key: _ordered(item) for key, item in value.items()}
    if isinstance(value.get("featureTags"), list):
        value["featureTags"] = sorted(
            value["featureTags"], key=lambda t: (t["featureName"], t["tagType"], t["tagValue"])
        )
    if isinstance(value.get("featureStrategies"), list):
        value["featureStrategies"] = sorted(
            value["featureStrategies"],
            key=lambda s: (s.get("featureName", ""), s["name"], s.get("title") or ""),
        )
    if isinstance(value.get("dependencies"), list) and "featureStrategies" in value:
        value["dependencies"] = sorted(value["dependencies"], key=lambda d: d["feature"])
    if value.get("message") == "We detected you are missing the following permissions:":
        value["affectedItems"] = sorted(value["affectedItems"])
    if "environments" in value and "collaborators" in value:
        value.pop("lifecycle", None)
    for key in ("message", "details"):
        if value.get("name") == "PermissionError" and key == "message":
            value[key] = _sorted_permissions(value[key])
        if key == "details" and isinstance(value.get(key), list):
            value[key] = [
                {**d, "message": _sorted_permissions(d["message"])}
                if value.get("name") == "PermissionError"
                else d
                for d in value[key]
            ]
    return value


def _sorted_permissions(message: str) -> str:
    head, sep, listed = message.partition("permissions: ")
    if not sep:
        return message
    return head + sep + ", ".join(sorted(listed.rstrip(".").split(", "))) + "."


def comparable(body: Any) -> Any:
    """Normalised as the fixtures are, with the lists Unleash keeps in no order sorted."""
    return _ordered(normalise(body, ""))
