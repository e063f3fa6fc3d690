"""One admin HTTP client for an Unleash-compatible server, failing loudly on any error answer."""

from __future__ import annotations

from typing import Any

import httpx


class ServerError(RuntimeError):
    """A server answered a request of the check with an error status."""


class Admin:
    """The admin API of one server (Unleash or leash), called with one token."""

    def __init__(self, *, url: str, token: str, timeout: float = 60) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.http = httpx.Client(
            base_url=self.url,
            headers={"Authorization": token, "Content-Type": "application/json"},
            timeout=timeout,
        )

    def close(self) -> None:
        self.http.close()

    def call(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        ok: tuple[int, ...] = (200, 201, 202, 204),
    ) -> Any:
        """The answer's JSON (None when empty); ServerError for a status outside `ok`."""
        response = self.http.request(method, path, json=body)
        if response.status_code not in ok:
            raise ServerError(f"{method} {path} -> {response.status_code}: {response.text[:2000]}")
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            return response.text

    def status(self, method: str, path: str, *, body: Any = None) -> int:
        return self.http.request(method, path, json=body).status_code

    def get(self, path: str) -> Any:
        return self.call("GET", path)

    def post(self, path: str, body: Any = None) -> Any:
        return self.call("POST", path, body=body)

    def put(self, path: str, body: Any = None) -> Any:
        return self.call("PUT", path, body=body)
