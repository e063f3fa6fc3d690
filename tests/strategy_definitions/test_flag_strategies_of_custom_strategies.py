"""A flag strategy names a strategy definition: custom ones are accepted and served to backend
SDKs as stored; an unknown name is refused as Unleash 8.2.0 refuses it
(fixtures/flag_strategies.json); server-side evaluation treats a custom strategy as off."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from flagkit import add_strategy, create_flag, switch
from support import ADMIN, CLIENT, FRONTEND

RECORDED: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parent / "fixtures" / "flag_strategies.json").read_text()
)
STRATEGIES = "/api/admin/projects/default/features/h3-fx-flag/environments/development/strategies"


def custom_flag(client: TestClient) -> None:
    created = client.post(
        "/api/admin/strategies",
        headers=ADMIN,
        json={"name": "h3-fx-c", "parameters": [{"name": "tenant", "type": "string"}]},
    )
    assert created.status_code == 201
    create_flag(client, "h3-fx-flag")


def test_add_flag_strategy__custom_strategy__200_as_8_2(client: TestClient) -> None:
    custom_flag(client)
    response = client.post(STRATEGIES, headers=ADMIN, json=RECORDED["add_custom"]["request"][2])
    assert response.status_code == 200
    body = response.json()
    body["id"] = "<ulid>"
    assert body == RECORDED["add_custom"]["body"]


def test_add_flag_strategy__unknown_or_removed_built_in__400_as_8_2(client: TestClient) -> None:
    custom_flag(client)
    for key in ("add_unknown", "add_removed_built_in"):
        response = client.post(STRATEGIES, headers=ADMIN, json=RECORDED[key]["request"][2])
        assert (response.status_code, response.json()) == (400, RECORDED[key]["body"]), key
    assert client.get(STRATEGIES, headers=ADMIN).json() == []


def test_add_flag_strategy__deprecated_custom_strategy__accepted(client: TestClient) -> None:
    custom_flag(client)
    assert client.post("/api/admin/strategies/h3-fx-c/deprecate", headers=ADMIN).status_code == 200
    response = client.post(STRATEGIES, headers=ADMIN, json={"name": "h3-fx-c", "parameters": {}})
    assert response.status_code == 200


def test_client_features__custom_strategy__served_as_stored(client: TestClient) -> None:
    custom_flag(client)
    add_strategy(client, "h3-fx-flag", name="h3-fx-c", parameters={"tenant": "acme"})
    switch(client, "h3-fx-flag", on=True)
    response = client.get("/api/client/features?namePrefix=h3-fx-flag", headers=CLIENT)
    assert response.status_code == 200
    (flag,) = response.json()["features"]
    assert flag["strategies"] == [
        {"name": "h3-fx-c", "constraints": [], "parameters": {"tenant": "acme"}, "variants": []}
    ]
    assert flag["enabled"] is True


def test_client_features__custom_strategy_deleted__still_served(client: TestClient) -> None:
    custom_flag(client)
    add_strategy(client, "h3-fx-flag", name="h3-fx-c", parameters={"tenant": "acme"})
    assert client.delete("/api/admin/strategies/h3-fx-c", headers=ADMIN).status_code == 200
    response = client.get("/api/client/features?namePrefix=h3-fx-flag", headers=CLIENT)
    assert [s["name"] for s in response.json()["features"][0]["strategies"]] == ["h3-fx-c"]


def test_frontend__flag_with_only_a_custom_strategy__off(client: TestClient) -> None:
    custom_flag(client)
    add_strategy(client, "h3-fx-flag", name="h3-fx-c", parameters={"tenant": "acme"})
    switch(client, "h3-fx-flag", on=True)
    response = client.get("/api/frontend", headers=FRONTEND)
    assert response.status_code == 200
    assert [t["name"] for t in response.json()["toggles"]] == []
