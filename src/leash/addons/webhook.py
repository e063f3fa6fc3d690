"""The webhook provider, as Unleash 8.2's: the event (or its bodyTemplate rendered) POSTed with
contentType, authorization and customHeaders; the outcome worded as its integration event."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import SplitResult, urlsplit

from leash.addons import templates, urls

# ky's retried statuses; anything else (and any 2xx) is final.
_RETRIED: Final = frozenset({408, 413, 429, 500, 502, 503, 504})
_MAX_HEADERS: Final = 50


@dataclass(frozen=True)
class Outcome:
    state: str
    state_details: str
    details: dict[str, Any]


@dataclass
class Sender:
    """POSTs with up to `attempts` tries, waiting `backoff` * 2**n between them (interruptible
    by `stopping`, so a stopped process never sleeps through its back-off)."""

    allow_private: bool = False
    attempts: int = 3
    backoff: float = 0.5
    timeout: float = 10.0
    stopping: threading.Event = field(default_factory=threading.Event)

    def post(self, url: str, *, body: bytes, headers: dict[str, str]) -> int:
        status = 500
        for attempt in range(self.attempts):
            if attempt and self.stopping.wait(self.backoff * 2 ** (attempt - 1)):
                break
            status = self._once(url, body=body, headers=headers)
            if status not in _RETRIED:
                break
        return status

    def _once(self, url: str, *, body: bytes, headers: dict[str, str]) -> int:
        try:
            # Checked again at delivery: a name may have come to resolve to a private address.
            addresses = urls.check(url, allow_private=self.allow_private)
        except urls.RefusedUrl:
            return 500
        parts = urlsplit(url)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        connection = _pinned(parts=parts, address=addresses[0], timeout=self.timeout)
        try:
            # http.client never follows a 30x: it is the answer (Unleash's redirect: 'manual').
            connection.request("POST", target, body=body, headers=headers)
            return int(connection.getresponse().status)
        except (OSError, ValueError, http.client.HTTPException):
            return 500
        finally:
            connection.close()


def _pinned(*, parts: SplitResult, address: str, timeout: float) -> http.client.HTTPConnection:
    """A connection to `address`, the checked one, never to what the name resolves to next;
    the Host header, TLS server name and certificate check keep the URL's host."""
    host = str(parts.hostname)
    port = parts.port
    connection: http.client.HTTPConnection
    if parts.scheme.lower() == "https":
        connection = http.client.HTTPSConnection(host, port, timeout=timeout)
    else:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)

    def connect(
        where: tuple[str, int], timeout: float | None = None, source_address: Any = None
    ) -> socket.socket:
        return socket.create_connection((address, where[1]), timeout, source_address)

    connection._create_connection = connect  # type: ignore[attr-defined]
    return connection


def _custom_headers(text: Any) -> tuple[dict[str, str], bool]:
    """(headers, parsed): Unleash spreads whatever JSON object the parameter holds."""
    if not isinstance(text, str) or len(text) <= 1:
        return {}, True
    try:
        parsed = json.loads(text)
    except ValueError:
        return {}, False
    if not isinstance(parsed, dict):
        return {}, True
    headers = {
        str(k): v if isinstance(v, str) else json.dumps(v)
        for k, v in list(parsed.items())[:_MAX_HEADERS]
    }
    return {k: v for k, v in headers.items() if _header_safe(k) and _header_safe(v)}, True


def _header_safe(text: str) -> bool:
    return bool(text) and len(text) <= 8192 and not any(c in text for c in "\r\n\0")


def handle(
    event: dict[str, Any], *, parameters: dict[str, Any], markdown: str, sender: Sender
) -> Outcome:
    state = "success"
    details_text: list[str] = []
    url = str(parameters.get("url") or "")
    content_type = parameters.get("contentType") or "application/json"
    template = parameters.get("bodyTemplate")
    authorization = parameters.get("authorization")
    if isinstance(template, str) and template:
        body = templates.render(template, event=event, markdown=markdown)
        sending_event = False
    else:
        body = templates.event_json(event)
        sending_event = True
    extra, parsed = _custom_headers(parameters.get("customHeaders"))
    if not parsed:
        state = "successWithErrors"
        details_text.append("Could not parse the JSON in the customHeaders parameter.")
    headers = {"Content-Type": str(content_type)}
    if authorization:
        headers["Authorization"] = str(authorization)
    headers.update(extra)
    headers = {k: v for k, v in headers.items() if _header_safe(k) and _header_safe(v)}
    status = sender.post(url, body=body.encode(), headers=headers)
    if 200 <= status < 300:
        details_text.append(f"Webhook request was successful with status code: {status}.")
    else:
        state = "failed"
        details_text.append(f"Webhook request failed with status code: {status}.")
    return Outcome(
        state=state,
        state_details="\n".join(details_text),
        details={
            "url": url,
            "contentType": content_type,
            "body": event if sending_event else body,
        },
    )
