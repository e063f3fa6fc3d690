"""getApiTokensByName and the project API-token endpoints (getProjectApiTokens,
createProjectApiToken, deleteProjectApiToken), against the answers Unleash 8.2.0 gave
(fixtures/project_api_tokens.json)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from support import ADMIN

RECORDED: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parent / "fixtures" / "project_api_tokens.json").read_text()
)
PROJECT_TOKENS = "/api/admin/projects/default/api-tokens"
SECRET = re.compile(r"^(default|\*):development\.[0-9a-f]{56}$")
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
PASSWORD = "Very-Secret-Pass-123!"


def normalised(body: dict[str, Any]) -> dict[str, Any]:
    out = dict(body)
    if "id" in out and "details" in out:
        out["id"] = "<uuid>"
    if isinstance(out.get("secret"), str) and SECRET.match(out["secret"]):
        out["secret"] = out["secret"].split(".")[0] + ".<secret>"
    if isinstance(out.get("createdAt"), str) and STAMP.match(out["createdAt"]):
        out["createdAt"] = "<timestamp>"
    return out


def recorded(key: str) -> tuple[int, Any]:
    body = RECORDED[key]["body"]
    return RECORDED[key]["status"], body


def send(client: TestClient, key: str) -> Any:
    method, path, body = RECORDED[key]["request"]
    return client.request(method, path, headers=ADMIN, json=body)


def create(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post(PROJECT_TOKENS, headers=ADMIN, json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def test_create_project_api_token__201_for_that_project_as_8_2(client: TestClient) -> None:
    for key in ("create", "create_default_env"):
        response = send(client, key)
        assert (response.status_code, normalised(response.json())) == recorded(key), key
        assert response.headers["location"] == "api-tokens"


@pytest.mark.parametrize(
    "key",
    [
        "create_bad_type",
        "create_no_name",
        "create_empty_name",
        "create_unknown_env",
        "create_unknown_project",
        "list_unknown_project",
        "by_name_none",
    ],
)
def test_project_api_tokens__errors_and_empty__as_8_2(client: TestClient, key: str) -> None:
    response = send(client, key)
    assert (response.status_code, normalised(response.json())) == recorded(key)
    assert client.get(PROJECT_TOKENS, headers=ADMIN).json()["tokens"] == [
        t for t in client.get("/api/admin/api-tokens", headers=ADMIN).json()["tokens"]
    ]


def test_get_api_tokens_by_name__every_token_of_that_name(client: TestClient) -> None:
    create(client, tokenName="h3-ptok", type="backend", environment="development")
    create(client, tokenName="h3-ptok", type="frontend", environment="development")
    create(client, tokenName="h3-other", type="backend", environment="development")
    response = client.get("/api/admin/api-tokens/h3-ptok", headers=ADMIN)
    assert response.status_code == 200
    # The tokens as getAllApiTokens shows them (leash's view of a token: masked secret,
    # "backend" kept, no "secure"; Unleash 8.2 shows the secret and "client"), by name.
    every = client.get("/api/admin/api-tokens", headers=ADMIN).json()["tokens"]
    assert response.json()["tokens"] == [t for t in every if t["tokenName"] == "h3-ptok"]
    assert sorted(t["type"] for t in response.json()["tokens"]) == ["backend", "frontend"]


def test_get_project_api_tokens__admin_token__every_token_as_8_2(client: TestClient) -> None:
    create(client, tokenName="h3-p", type="backend", environment="development")
    listed = client.get(PROJECT_TOKENS, headers=ADMIN).json()["tokens"]
    everything = client.get("/api/admin/api-tokens", headers=ADMIN).json()["tokens"]
    assert listed == everything
    assert "admin" in {t["type"] for t in listed}


def test_delete_project_api_token__own_200_then_404(client: TestClient) -> None:
    secret = create(client, tokenName="h3-d", type="backend", environment="development")["secret"]
    first = client.delete(f"{PROJECT_TOKENS}/{secret}", headers=ADMIN)
    assert (first.status_code, first.content) == (200, b"")
    again = client.delete(f"{PROJECT_TOKENS}/{secret}", headers=ADMIN)
    assert (again.status_code, again.content) == (404, b"")
    names = [
        t["tokenName"] for t in client.get("/api/admin/api-tokens", headers=ADMIN).json()["tokens"]
    ]
    assert "h3-d" not in names
    deleted = client.get("/api/admin/search/events?type=IS:api-token-deleted", headers=ADMIN)
    assert [e["preData"]["tokenName"] for e in deleted.json()["events"]] == ["h3-d"]


def test_delete_project_api_token__token_of_all_projects__400_kept(client: TestClient) -> None:
    response = client.post(
        "/api/admin/api-tokens",
        headers=ADMIN,
        json={"tokenName": "h3-all", "type": "backend", "projects": ["*"]},
    )
    secret = response.json()["secret"]
    refused = client.delete(f"{PROJECT_TOKENS}/{secret}", headers=ADMIN)
    assert (refused.status_code, refused.content) == (400, b"")
    names = [
        t["tokenName"] for t in client.get("/api/admin/api-tokens", headers=ADMIN).json()["tokens"]
    ]
    assert "h3-all" in names


def test_delete_project_api_token__unknown__bare_404_as_8_2(client: TestClient) -> None:
    for key in ("delete_unknown", "delete_unknown_project"):
        response = send(client, key)
        assert (response.status_code, response.content) == (404, b""), key


def test_project_api_tokens__viewer__403(client: TestClient) -> None:
    created = client.post(
        "/api/admin/user-admin",
        headers=ADMIN,
        json={"username": "h3-viewer", "rootRole": 3, "password": PASSWORD},
    )
    assert created.status_code == 201
    login = client.post("/auth/simple/login", json={"username": "h3-viewer", "password": PASSWORD})
    assert login.status_code == 200
    listed = client.get(PROJECT_TOKENS)
    made = client.post(PROJECT_TOKENS, json={"tokenName": "h3-x", "type": "backend"})
    client.cookies.clear()
    assert (listed.status_code, listed.json()["permissions"]) == (403, ["READ_PROJECT_API_TOKEN"])
    assert (made.status_code, made.json()["permissions"]) == (403, ["CREATE_PROJECT_API_TOKEN"])
    names = [
        t["tokenName"] for t in client.get("/api/admin/api-tokens", headers=ADMIN).json()["tokens"]
    ]
    assert "h3-x" not in names


def test_project_api_tokens__no_token__401(client: TestClient) -> None:
    assert client.get(PROJECT_TOKENS).status_code == 401
    assert client.get("/api/admin/api-tokens/h3-x").status_code == 401
