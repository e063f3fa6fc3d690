"""Instance usage statistics: JSON and CSV as Unleash 8.2.0 answered after the same writes
(statistics_after_writes.*, recorded from the reference); the instance id, timestamp and the
signature that covers the id are the instance's own and are checked for their form. leash
seeds no release-plan template (Unleash seeds one): that count is leash's own."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

import flagkit
from support import ADMIN

HERE = Path(__file__).parent
STATS = "/api/admin/instance-admin/statistics"
_OWN = ("timestamp", "instanceId", "sum", "edgeInstanceUsage", "releaseTemplates")


def _recorded() -> dict[str, Any]:
    recorded: dict[str, Any] = json.loads((HERE / "statistics_after_writes.json").read_text())
    return recorded


def _cells(text: str) -> dict[str, str]:
    """The CSV's header and row, read back: the raw cells compared as json2csv wrote them."""
    header, row = csv.reader(io.StringIO(text))
    return dict(zip(header, row, strict=True))


def _writes(client: TestClient) -> None:
    """What was done to the reference before recording: a flag with two strategies (one with
    two constraints, three values in one), an archived flag, a segment, a backend token."""
    flagkit.create_flag(client, "s1")
    constraints = [
        {"contextName": "userId", "operator": "IN", "values": ["a", "b", "c"]},
        {"contextName": "appName", "operator": "IN", "values": ["x"]},
    ]
    flagkit.add_strategy(client, "s1", constraints=constraints)
    flagkit.add_strategy(client, "s1", name="default")
    flagkit.create_flag(client, "s2")
    response = client.delete("/api/admin/projects/default/features/s2", headers=ADMIN)
    assert response.status_code == 202
    flagkit.create_segment(client, "seg1", [])
    flagkit.create_token(client, type="backend", projects=["*"], environment="development")


def test_get_instance_admin_stats__after_writes__as_recorded(client: TestClient) -> None:
    _writes(client)
    response = client.get(STATS, headers=ADMIN)
    assert response.status_code == 200
    body = response.json()
    recorded = _recorded()
    assert list(body) == list(recorded)
    assert {k: v for k, v in body.items() if k not in _OWN} == {
        k: v for k, v in recorded.items() if k not in _OWN
    }
    assert len(body["edgeInstanceUsage"]) == 12
    assert set(body["edgeInstanceUsage"].values()) == {0}
    assert (body["roles"], body["releaseTemplates"]) == (6, 0)
    # users, flags, projects, roles, groups, environments, segments after the instance id
    signed = f"{body['instanceId']}1116021"
    assert body["sum"] == hashlib.sha256(signed.encode()).hexdigest()


def test_get_instance_admin_stats_csv__after_writes__as_recorded(client: TestClient) -> None:
    _writes(client)
    response = client.get(STATS + "/csv", headers=ADMIN)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    instance = client.get(STATS, headers=ADMIN).json()["instanceId"]
    disposition = response.headers["content-disposition"]
    assert disposition.startswith(f'attachment; filename="unleash-{instance}-')
    assert "\n" not in response.text.split("\n", 1)[1]  # one header line, one row, no end
    ours = _cells(response.text)
    theirs = _cells((HERE / "statistics_after_writes.csv").read_text())
    assert list(ours) == list(theirs)
    # Unleash lists token counts in PostgreSQL's GROUP BY order: compared as JSON.
    assert json.loads(ours.pop("apiTokens")) == json.loads(theirs.pop("apiTokens"))
    assert {k: v for k, v in ours.items() if k not in _OWN} == {
        k: v for k, v in theirs.items() if k not in _OWN
    }
    assert ours["instanceId"] == instance

