"""Helpers for the account tests (tests/users, tests/auth): a user to act as, and answers
with the placeholders of the recorded Unleash 8.2 fixtures."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from support import ADMIN

PASSWORD = "H7-Bob-pass-11"
NEW_PASSWORD = "H7-Bob-pass-22"


def placeholders(body: Any) -> Any:
    """The recording's placeholders put in: error ids, timestamps."""
    if isinstance(body, list):
        return [placeholders(item) for item in body]
    if isinstance(body, dict):
        return {
            key: (
                "<uuid>"
                if key == "id" and isinstance(value, str)
                else "<timestamp>"
                if key in ("createdAt", "seenAt") and isinstance(value, str)
                else placeholders(value)
            )
            for key, value in body.items()
        }
    return body


def answer(response: Any) -> tuple[int, Any]:
    return response.status_code, placeholders(response.json() if response.content else None)


def create_bob(client: TestClient, *, role: int = 2) -> int:
    body = {
        "username": "h7-bob",
        "email": "h7-bob@example.com",
        "name": "H7 Bob",
        "password": PASSWORD,
        "rootRole": role,
        "sendEmail": False,
    }
    response = client.post("/api/admin/user-admin", headers=ADMIN, json=body)
    assert response.status_code == 201, response.text
    user_id: int = response.json()["id"]
    return user_id


def log_in(client: TestClient, password: str = PASSWORD) -> None:
    response = client.post("/auth/simple/login", json={"username": "h7-bob", "password": password})
    assert response.status_code == 200, response.text
