"""/api/admin/api-tokens: create, list, change expiry, delete; scoping and expiry of tokens.
Expected bodies were recorded from the reference Unleash 7.5.1."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert

from leash.config import Settings
from leash.db import create_db_engine
from leash.db.base import utcnow
from leash.features.models import feature_environments, feature_strategies, features
from support import ADMIN, BAD_DATA_LIST, BAD_DATA_ONE, insert_project


def create(client: TestClient, **body: Any) -> dict[str, Any]:
    payload = {"tokenName": "t", "type": "client", "environment": "development"}
    payload.update(body)
    response = client.post("/api/admin/api-tokens", headers=ADMIN, json=payload)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def add_project_with_flag(settings: Settings, *, project: str, flag: str) -> None:
    """Projects and flags are inserted directly: their admin API is not part of this suite."""
    engine = create_db_engine(settings.database_url)
    now = utcnow()
    try:
        with engine.begin() as conn:
            if project != "default":
                insert_project(conn, project=project, environments=("development",))
            conn.execute(
                insert(features).values(name=flag, project=project, created_at=now)
            )
            conn.execute(
                insert(feature_environments).values(
                    feature_name=flag, environment="development", enabled=True, variants=[]
                )
            )
            conn.execute(
                insert(feature_strategies).values(
                    id=f"strategy-{flag}",
                    feature_name=flag,
                    project_name=project,
                    environment="development",
                    strategy_name="default",
                    parameters={},
                    constraints=[],
                    variants=[],
                    sort_order=0,
                    created_at=now,
                )
            )
    finally:
        engine.dispose()


def test_create__client_one_project__201_shape_and_secret_once(client: TestClient) -> None:
    response = client.post(
        "/api/admin/api-tokens",
        headers=ADMIN,
        json={"tokenName": "c1", "type": "client", "environment": "development",
              "projects": ["default"]},
    )
    assert response.status_code == 201
    assert response.headers["location"] == "api-tokens"
    body = response.json()
    secret = body.pop("secret")
    assert re.fullmatch(r"default:development\.[0-9a-f]{56}", secret)
    assert body.pop("createdAt").endswith("Z")
    assert body == {
        "tokenName": "c1",
        "environment": "development",
        "projects": ["default"],
        "type": "client",
        "alias": None,
        "project": "default",
    }
    listed = client.get("/api/admin/api-tokens", headers=ADMIN).json()["tokens"]
    shown = next(t for t in listed if t["tokenName"] == "c1")
    assert secret not in str(listed)
    assert shown["secret"].startswith("default:development.********")
    assert set(shown) == {
        "secret", "tokenName", "type", "project", "projects", "environment",
        "expiresAt", "createdAt", "alias", "seenAt",
    }
    assert client.get("/api/client/features", headers={"Authorization": secret}).status_code == 200


def test_create__defaults_and_star__all_projects(client: TestClient) -> None:
    created = create(client, type="Client", projects=["default", "*"])
    assert (created["type"], created["projects"], created["project"]) == ("client", ["*"], "*")
    assert created["secret"].startswith("*:development.")
    frontend = create(client, type="frontend")
    assert frontend["projects"] == ["*"]


def test_create__several_projects__bracket_secret(client: TestClient, settings: Settings) -> None:
    add_project_with_flag(settings, project="other", flag="other-flag")
    created = create(client, projects=["default", "other"])
    assert created["secret"].startswith("[]:development.")
    assert (created["project"], created["projects"]) == ("[]", ["default", "other"])


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"environment": "*"}, "Client token cannot be scoped to all environments"),
        ({"type": "frontend", "environment": "*"},
         "Frontend token cannot be scoped to all environments"),
        ({"environment": "nope"}, "Environment=nope does not exist"),
        ({"projects": ["nope"]}, "Project=nope does not exist"),
    ],
)
def test_create__bad_scope__400(client: TestClient, body: dict[str, Any], message: str) -> None:
    payload = {"tokenName": "bad", "type": "client", "environment": "development"}
    payload.update(body)
    response = client.post("/api/admin/api-tokens", headers=ADMIN, json=payload)
    assert response.status_code == 400
    assert response.json() == {
        "name": "BadDataError",
        "message": BAD_DATA_ONE + message,
        "details": [{"message": message}],
    }


def test_create__admin_type__400_as_unleash_7(client: TestClient) -> None:
    response = client.post(
        "/api/admin/api-tokens", headers=ADMIN, json={"tokenName": "a", "type": "admin"}
    )
    assert response.status_code == 400
    body = response.json()
    assert isinstance(body.pop("id"), str)
    assert body["message"] == BAD_DATA_LIST
    assert body["details"][0] == {
        "message": 'The `/body/type` property must match pattern "^([Cc][Ll][Ii][Ee][Nn][Tt]|'
        '[Bb][Aa][Cc][Kk][Ee][Nn][Dd]|[Ff][Rr][Oo][Nn][Tt][Ee][Nn][Dd])$". You sent "admin".',
        "path": "/body/type",
    }
    assert body["details"][1]["path"] == "/body"


def test_create__empty_projects__400(client: TestClient) -> None:
    response = client.post(
        "/api/admin/api-tokens",
        headers=ADMIN,
        json={"tokenName": "e", "type": "client", "projects": []},
    )
    assert response.status_code == 400
    assert response.json() == {
        "name": "BadDataError",
        "message": BAD_DATA_LIST,
        "details": [{"message": '"projects" must contain at least 1 items. You provided [].'}],
    }


def test_client_token__one_project__never_sees_another_projects_flags(
    client: TestClient, settings: Settings
) -> None:
    add_project_with_flag(settings, project="default", flag="default-flag")
    add_project_with_flag(settings, project="secret-project", flag="hidden-flag")
    scoped = create(client, projects=["default"])["secret"]
    everything = create(client)["secret"]
    seen = client.get("/api/client/features", headers={"Authorization": scoped}).json()
    assert [f["name"] for f in seen["features"]] == ["default-flag"]
    asked = client.get(
        "/api/client/features?project=secret-project", headers={"Authorization": scoped}
    ).json()
    assert [f["name"] for f in asked["features"]] == ["default-flag"]
    one = client.get("/api/client/features/hidden-flag", headers={"Authorization": scoped})
    assert one.status_code == 404
    all_flags = client.get("/api/client/features", headers={"Authorization": everything}).json()
    assert sorted(f["name"] for f in all_flags["features"]) == ["default-flag", "hidden-flag"]


def test_update_expiry__in_the_past__token_refused_401(client: TestClient) -> None:
    secret = create(client)["secret"]
    auth = {"Authorization": secret}
    assert client.get("/api/client/features", headers=auth).status_code == 200
    response = client.put(
        f"/api/admin/api-tokens/{secret}",
        headers=ADMIN,
        json={"expiresAt": "2001-01-01T00:00:00.000Z"},
    )
    assert (response.status_code, response.content) == (200, b"")
    assert client.get("/api/client/features", headers=auth).status_code == 401
    listed = client.get("/api/admin/api-tokens", headers=ADMIN).json()["tokens"]
    assert "2001-01-01T00:00:00.000Z" in [t["expiresAt"] for t in listed]


def test_update_expiry__missing__400(client: TestClient) -> None:
    secret = create(client)["secret"]
    response = client.put(f"/api/admin/api-tokens/{secret}", headers=ADMIN, json={})
    assert response.status_code == 400
    assert response.json()["details"] == [
        {
            "path": "/body/expiresAt",
            "message": "The `/body/expiresAt` property is required. "
            "It was not present on the data you sent.",
        }
    ]


def test_delete__takes_effect_at_once(client: TestClient) -> None:
    secret = create(client)["secret"]
    auth = {"Authorization": secret}
    assert client.get("/api/client/features", headers=auth).status_code == 200
    response = client.delete(f"/api/admin/api-tokens/{secret}", headers=ADMIN)
    assert (response.status_code, response.content) == (200, b"")
    assert client.get("/api/client/features", headers=auth).status_code == 401
    # Unknown secrets are answered alike, as Unleash does.
    assert client.delete("/api/admin/api-tokens/nope", headers=ADMIN).status_code == 200


def test_delete__by_the_masked_secret_the_list_shows(client: TestClient) -> None:
    secret = create(client, tokenName="masked")["secret"]
    listed = client.get("/api/admin/api-tokens", headers=ADMIN).json()["tokens"]
    shown = next(t["secret"] for t in listed if t["tokenName"] == "masked")
    assert client.delete(f"/api/admin/api-tokens/{shown}", headers=ADMIN).status_code == 200
    assert client.get("/api/client/features", headers={"Authorization": secret}).status_code == 401


def test_deleted_admin_token__admin_api__401(client: TestClient, settings: Settings) -> None:
    from leash.tokens import service

    engine = create_db_engine(settings.database_url)
    try:
        with engine.begin() as conn:
            service.create(
                conn, secret="*:*.second-admin", token_name="a2", type="admin",
                projects=["*"], environment="*",
            )
    finally:
        engine.dispose()
    second = {"Authorization": "*:*.second-admin"}
    assert client.get("/api/admin/segments", headers=second).status_code == 200
    client.delete("/api/admin/api-tokens/*:*.second-admin", headers=ADMIN)
    response = client.get("/api/admin/segments", headers=second)
    assert response.status_code == 401
    assert response.json()["name"] == "UnauthorizedError"


def test_events__created_updated_deleted__no_secret(client: TestClient) -> None:
    secret = create(client, tokenName="audited", projects=["default"])["secret"]
    client.put(
        f"/api/admin/api-tokens/{secret}", headers=ADMIN,
        json={"expiresAt": "2031-01-01T00:00:00.000Z"},
    )
    client.delete(f"/api/admin/api-tokens/{secret}", headers=ADMIN)
    events = client.get("/api/admin/events", headers=ADMIN).json()["events"]
    mine = [e for e in events if "audited" in str(e)]
    assert [e["type"] for e in mine] == [
        "api-token-deleted",
        "api-token-updated",
        "api-token-created",
    ]
    assert {(e["createdBy"], e["createdByUserId"], e["project"]) for e in mine} == {
        ("admin", -42, "default")
    }
    assert mine[1]["data"]["expiresAt"] == "2031-01-01T00:00:00.000Z"
    assert mine[1]["preData"]["expiresAt"] is None
    assert secret.split(".", 1)[1] not in str(events)
