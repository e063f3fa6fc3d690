"""Set scenario.SETUP up on a leash TestClient (what record.py does on the reference)."""

from __future__ import annotations

from typing import Any

import playground_scenario as scenario
from fastapi.testclient import TestClient
from sqlalchemy import insert, update

from leash.features.models import feature_dependencies, feature_environments
from support import ADMIN

PROJECT = "/api/admin/projects/default/features"


def add_dependency(
    client: TestClient, *, child: str, parent: str, enabled: bool, variants: list[str] | None
) -> None:
    """leash has no dependencies endpoint yet: the row Unleash's endpoint would write."""
    with client.app.state.db.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(
            insert(feature_dependencies).values(
                parent=parent, child=child, enabled=enabled, variants=variants or None
            )
        )
    client.app.state.changed()  # type: ignore[attr-defined]


def set_variants(client: TestClient, *, flag: str, variants: list[dict[str, Any]]) -> None:
    """Environment variants as older Unleash versions stored them (Unleash 7 refuses new ones)."""
    with client.app.state.db.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(
            update(feature_environments)
            .where(feature_environments.c.feature_name == flag)
            .where(feature_environments.c.environment == "development")
            .values(variants=variants)
        )
    client.app.state.changed()  # type: ignore[attr-defined]


def set_up(
    client: TestClient, operations: list[tuple[Any, ...]] = scenario.SETUP
) -> dict[str, int]:
    segment_ids: dict[str, int] = {}
    for op in operations:
        kind = op[0]
        if kind == "segment":
            response = client.post(
                "/api/admin/segments", headers=ADMIN, json={"name": op[1], "constraints": op[2]}
            )
            assert response.status_code == 201, response.text
            segment_ids[op[1]] = response.json()["id"]
        elif kind == "flag":
            response = client.post(PROJECT, headers=ADMIN, json={"name": op[1]})
            assert response.status_code == 201, response.text
        elif kind == "strategy":
            body = dict(op[2])
            if "segments" in body:
                body["segments"] = [segment_ids[name] for name in body["segments"]]
            path = f"{PROJECT}/{op[1]}/environments/development/strategies"
            response = client.post(path, headers=ADMIN, json=body)
            assert response.status_code == 200, response.text
        elif kind == "on":
            path = f"{PROJECT}/{op[1]}/environments/development/on"
            response = client.post(path, headers=ADMIN)
            assert response.status_code == 200, response.text
        elif kind == "variants":
            set_variants(client, flag=op[1], variants=op[2])
        elif kind == "dependency":
            spec = op[2]
            add_dependency(
                client,
                child=op[1],
                parent=spec["feature"],
                enabled=spec["enabled"],
                variants=spec.get("variants"),
            )
        else:
            raise AssertionError(f"unknown operation {kind}")
    return segment_ids
