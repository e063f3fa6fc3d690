from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from leash.config import Settings
from leash.db import create_db_engine
from leash.tokens import service
from leash.tokens.models import api_tokens


def test_first_admin_token__empty_database__created_once_and_usable(settings: Settings) -> None:
    from leash.app import create_app

    empty = settings.model_copy(
        update={
            "init_admin_api_tokens": [],
            "init_client_api_tokens": [],
            "init_frontend_api_tokens": [],
        }
    )
    engine = create_db_engine(empty.database_url)
    try:
        with engine.begin() as conn:
            secret = service.create_first_admin_token_if_none(conn)
        with engine.begin() as conn:
            again = service.create_first_admin_token_if_none(conn)
    finally:
        engine.dispose()
    assert secret is not None
    assert secret.startswith("*:*.")
    assert len(secret.split(".", 1)[1]) == 56
    assert again is None
    with TestClient(create_app(empty)) as client:
        response = client.get("/api/admin/segments", headers={"Authorization": secret})
        assert response.status_code == 200


def test_init_tokens__stored_hashed_never_in_clear(client: TestClient, settings: Settings) -> None:
    engine = create_db_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(api_tokens)).all()
    finally:
        engine.dispose()
    stored = " ".join(str(value) for row in rows for value in row)
    assert len(rows) == 3
    for secret in ("admin-secret", "client-secret", "frontend-secret"):
        assert secret not in stored
    assert {row.type: (row.projects, row.environment) for row in rows} == {
        "admin": (["*"], "*"),
        "client": (["*"], "development"),
        "frontend": (["*"], "development"),
    }


def test_init_tokens__restart__not_duplicated(client: TestClient, settings: Settings) -> None:
    from leash.app import create_app

    with TestClient(create_app(settings)):
        pass
    events = client.get("/api/admin/events", headers={"Authorization": "*:*.admin-secret"}).json()
    created = [e for e in events["events"] if e["type"] == "api-token-created"]
    assert sorted(e["data"]["tokenName"] for e in created) == ["admin", "client", "frontend"]
    assert all(e["createdBy"] == "unleash_system_user" for e in created)
