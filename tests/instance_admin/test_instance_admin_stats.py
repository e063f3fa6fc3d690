"""getInstanceAdminStats and its CSV, against Unleash 8.2.0's answers on a fresh database
(fixtures/statistics_8_2.json)."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from flagkit import add_strategy, create_flag, create_segment, switch
from leash.secrets import sha256
from support import ADMIN, CLIENT

STATS = "/api/admin/instance-admin/statistics"
RECORDED: dict[str, Any] = json.loads(
    (Path(__file__).parent / "fixtures" / "statistics_8_2.json").read_text()
)
# Per instance and per moment; leash has no seeded release-plan template (Unleash seeds one).
_OWN = ("timestamp", "instanceId", "sum", "releaseTemplates")


def _signed(body: dict[str, Any]) -> str:
    return sha256(
        f"{body['instanceId']}{body['users']}{body['featureToggles']}{body['projects']}"
        f"{body['roles']}{body['groups']}{body['environments']}{body['segments']}"
    )


def test_get_instance_admin_stats__fresh__as_unleash(client: TestClient) -> None:
    response = client.get(STATS, headers=ADMIN)
    assert response.status_code == 200
    body = response.json()
    recorded = RECORDED["statistics"]
    assert list(body) == list(recorded)
    assert {k: v for k, v in body.items() if k not in _OWN} == {
        k: v for k, v in recorded.items() if k not in _OWN
    }
    assert (body["roles"], body["releaseTemplates"]) == (6, 0)
    assert body["sum"] == _signed(body)
    assert datetime.fromisoformat(body["timestamp"]).tzinfo is not None
    assert body["timestamp"].endswith("Z") and len(body["timestamp"]) == 24


def test_get_instance_admin_stats__instance_id__kept_between_reads(client: TestClient) -> None:
    first = client.get(STATS, headers=ADMIN).json()["instanceId"]
    second = client.get(STATS, headers=ADMIN).json()["instanceId"]
    assert first == second
    assert len(first) == 36 and first.count("-") == 4


def test_get_instance_admin_stats__flags_and_strategies__counted(client: TestClient) -> None:
    segment = create_segment(client, "s1", [])
    create_flag(client, "f1")
    add_strategy(
        client,
        "f1",
        constraints=[
            {"contextName": "userId", "operator": "IN", "values": ["a", "b", "c"]},
            {"contextName": "appName", "operator": "IN", "values": ["x"]},
        ],
        segments=[segment],
    )
    add_strategy(client, "f1")
    switch(client, "f1", environment="production")
    create_flag(client, "f2")
    add_strategy(
        client,
        "f2",
        constraints=[{"contextName": "userId", "operator": "IN", "values": list("abcdefg")}],
    )
    assert (
        client.delete("/api/admin/projects/default/features/f2", headers=ADMIN).status_code == 202
    )
    body = client.get(STATS, headers=ADMIN).json()
    assert {
        key: body[key]
        for key in (
            "featureToggles",
            "archivedFeatureToggles",
            "segments",
            "maxEnvironmentStrategies",
            "maxConstraintValues",
            "maxConstraints",
        )
    } == {
        "featureToggles": 1,
        "archivedFeatureToggles": 1,
        "segments": 1,
        "maxEnvironmentStrategies": 2,
        # f2's seven values do not count once it is archived, as in Unleash.
        "maxConstraintValues": 3,
        "maxConstraints": 2,
    }
    # Two production events (the default strategy added, then enabled), as Unleash 8.2.0
    # counted the same switch.
    assert body["productionChanges"] == {"last30": 2, "last60": 2, "last90": 2}
    assert body["sum"] == _signed(body)


def test_get_instance_admin_stats_csv__fresh__json2csv_row(client: TestClient) -> None:
    response = client.get(STATS + "/csv", headers=ADMIN)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    ours = list(csv.reader(io.StringIO(response.text)))
    theirs = list(csv.reader(io.StringIO(RECORDED["csv"])))
    assert ours[0] == theirs[0]
    own = {ours[0].index(key) for key in _OWN}
    # Unleash's token counts come in PostgreSQL's GROUP BY order: compared as JSON.
    tokens = ours[0].index("apiTokens")
    assert json.loads(ours[1][tokens]) == json.loads(theirs[1][tokens])
    own.add(tokens)
    assert [v for i, v in enumerate(ours[1]) if i not in own] == [
        v for i, v in enumerate(theirs[1]) if i not in own
    ]
    # Quoted as json2csv quotes: strings and nested JSON in quotes, numbers and booleans bare.
    assert response.text.split("\n")[1].split(",")[2:6] == ['"8.2.0"', '""', "1", "0"]
    assert len(response.content) == len(RECORDED["csv"].encode())
    instance = ours[1][1]
    disposition = response.headers["content-disposition"]
    assert disposition.startswith(f'attachment; filename="unleash-{instance}-')
    assert disposition.endswith('.csv"')


def test_get_instance_admin_stats__no_token__401(client: TestClient) -> None:
    response = client.get(STATS)
    assert response.status_code == RECORDED["no_token"]["status"] == 401
    assert {k: v for k, v in response.json().items() if k != "id"} == {
        k: v for k, v in RECORDED["no_token"]["body"].items() if k != "id"
    }


def test_get_instance_admin_stats__client_token__403(client: TestClient) -> None:
    response = client.get(STATS, headers=CLIENT)
    assert response.status_code == RECORDED["client_token"]["status"] == 403
    assert response.json() == RECORDED["client_token"]["body"]
