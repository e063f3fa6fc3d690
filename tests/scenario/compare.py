"""Replay the reference scenario, normalise responses and compare them with reference.json.

Library use (record.py, test_reference_scenario.py):
    run_steps(send, steps)  -> list of records {name, request, response}
    compare_records(reference_records, actual_records) -> Report

Command line (replays against a running server and compares with the recording):
    python tests/scenario/compare.py --base-url http://127.0.0.1:4242 \
        [--token-admin '*:*.admin-secret'] [--token-client ...] [--token-frontend ...] \
        [--reference tests/scenario/reference.json] [--verbose]
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import http.client
import importlib.util
import json
import re
import sys
import time
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REFERENCE_FILE = HERE / "reference.json"

DEFAULT_TOKENS: dict[str, str] = {
    "admin": "*:*.admin-secret",
    "client": "*:development.client-secret",
    "frontend": "*:development.frontend-secret",
    "bad": "*:*.this-token-does-not-exist",
}

# Response headers kept in recordings.
KEPT_HEADERS = ("location", "content-type", "etag")

# send(method, path, headers, body) -> (status, lower-cased headers, body bytes)
Send = Callable[[str, str, dict[str, str], bytes | None], tuple[int, Mapping[str, str], bytes]]


def load_steps() -> list[dict[str, Any]]:
    """Load tests/scenario/steps.py under a private module name (no sys.path games)."""
    spec = importlib.util.spec_from_file_location("leash_scenario_steps", HERE / "steps.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.STEPS)


# --------------------------------------------------------------------------- request building

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def substitute(value: Any, variables: Mapping[str, Any]) -> Any:
    """Fill {name} placeholders. A string that is exactly "{name}" takes the captured value
    with its own type (ints stay ints); inside longer strings the value is formatted in."""
    if isinstance(value, str):
        whole = _PLACEHOLDER.fullmatch(value)
        if whole and whole.group(1) in variables:
            return variables[whole.group(1)]
        return _PLACEHOLDER.sub(
            lambda m: str(variables[m.group(1)]) if m.group(1) in variables else m.group(0), value
        )
    if isinstance(value, list):
        return [substitute(v, variables) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, variables) for k, v in value.items()}
    return value


def build_request(
    step: Mapping[str, Any], variables: Mapping[str, Any], tokens: Mapping[str, str]
) -> dict[str, Any]:
    path = substitute(step["path"], variables)
    # Unfilled placeholders (a capture failed on this server) must still give a valid URL.
    path = urllib.parse.quote(path, safe="/?&=:*,;@[]%+$!'()~")
    headers: dict[str, str] = {}
    auth = step.get("auth", "admin")
    if auth != "none":
        headers["Authorization"] = tokens[auth]
    body: bytes | None = None
    sent_body: Any = None
    if "raw_body" in step:
        sent_body = step["raw_body"]
        body = sent_body.encode()
    elif "body" in step:
        sent_body = substitute(step["body"], variables)
        body = json.dumps(sent_body).encode()
    if body is not None:
        content_type = step.get("content_type", "application/json")
        if content_type is not None:
            headers["Content-Type"] = content_type
    headers.update(step.get("headers", {}))
    return {
        "method": step["method"],
        "path": path,
        "headers": headers,
        "body": sent_body,
        "_bytes": body,
    }


def parse_body(headers: Mapping[str, str], raw: bytes) -> Any:
    if not raw:
        return None
    text = raw.decode("utf-8", errors="replace")
    try:
        return json.loads(text)
    except ValueError:
        return text


def extract(record_response: Mapping[str, Any], path: str) -> Any:
    if path.startswith("header:"):
        return record_response["headers"].get(path[len("header:") :])
    value: Any = record_response["body"]
    for part in path.split("."):
        if isinstance(value, list):
            value = value[int(part)]
        elif isinstance(value, dict):
            value = value[part]
        else:
            raise KeyError(path)
    return value


def run_steps(
    send: Send,
    steps: list[dict[str, Any]] | None = None,
    tokens: Mapping[str, str] | None = None,
    honour_delays: bool = True,
) -> list[dict[str, Any]]:
    """Run the steps in order. `delay` (seconds) in a step is slept before sending it when
    honour_delays is set: Unleash refreshes its client/frontend caches about once a second."""
    steps = load_steps() if steps is None else steps
    tokens = {**DEFAULT_TOKENS, **(tokens or {})}
    variables: dict[str, Any] = {}
    records: list[dict[str, Any]] = []
    for step in steps:
        if honour_delays and step.get("delay"):
            time.sleep(step["delay"])
        request = build_request(step, variables, tokens)
        status, headers, raw = send(
            request["method"], request["path"], request["headers"], request.pop("_bytes")
        )
        lower = {k.lower(): v for k, v in headers.items()}
        response = {
            "status": status,
            "headers": {h: lower[h] for h in KEPT_HEADERS if h in lower},
            "body": parse_body(lower, raw),
        }
        for var, where in step.get("capture", {}).items():
            # On failure later steps keep the literal "{var}".
            with contextlib.suppress(KeyError, IndexError, ValueError, TypeError):
                variables[var] = extract(response, where)
        record: dict[str, Any] = {"name": step["name"], "request": request, "response": response}
        for key in ("leash_differs", "leash_status"):
            if key in step:
                record[key] = step[key]
        records.append(record)
    return records


def http_sender(base_url: str, timeout: float = 30.0) -> Send:
    """A sender using http.client (urllib would add a form Content-Type on its own)."""
    parsed = urllib.parse.urlsplit(base_url)
    prefix = parsed.path.rstrip("/")
    conn_cls = (
        http.client.HTTPSConnection if parsed.scheme == "https" else http.client.HTTPConnection
    )

    def send(
        method: str, path: str, headers: dict[str, str], body: bytes | None
    ) -> tuple[int, Mapping[str, str], bytes]:
        conn = conn_cls(parsed.netloc, timeout=timeout)
        try:
            conn.request(method, prefix + path, body=body, headers=headers)
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
        finally:
            conn.close()

    return send


# --------------------------------------------------------------------------- normalisation

UUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
TIMESTAMP_RE = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")
ULID_RE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{26}$")
# Strategy ids (ULIDs in Unleash 8.2) also appear inside messages ("... with id=<ulid>").
ULID_IN_TEXT_RE = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{26}\b")
# Keys whose values are volatile whatever they look like.
VOLATILE_KEYS = {
    "etag": "<etag>",
    "queryHash": "<queryHash>",
    "ip": "<ip>",
    "groupId": None,  # only when it looks like a ULID (strategy parameters use groupId too)
    "sessionId": "<sessionId>",
    # meta.revisionId of the client API: max "interesting" event id; opaque like the ETag.
    "revisionId": "<revisionId>",
}
# Timestamps we send ourselves in constraint values must stay comparable.
_KEEP_STRINGS = {
    "2024-01-01T00:00:00.000Z",
    "2030-06-01T12:00:00+02:00",
    "2000-01-01T00:00:00.000Z",
}


def _norm_string(value: str) -> str:
    if value in _KEEP_STRINGS:
        return value
    if ULID_RE.match(value):
        return "<ulid>"
    value = UUID_RE.sub("<uuid>", ULID_IN_TEXT_RE.sub("<ulid>", value))
    return TIMESTAMP_RE.sub("<timestamp>", value)


def _stable_token_events(events: list[Any]) -> list[Any]:
    """Unleash creates the init API tokens concurrently at startup, so their
    `api-token-created` events come in random order: sort each run of them by token name and
    hand the run's ids out again in the original (descending) order."""
    out: list[Any] = []
    i = 0
    while i < len(events):
        j = i
        while (
            j < len(events)
            and isinstance(events[j], dict)
            and events[j].get("type") == "api-token-created"
        ):
            j += 1
        if j == i:
            out.append(events[i])
            i += 1
            continue
        run = events[i:j]
        ids = [e.get("id") for e in run]
        ordered = sorted(run, key=lambda e: json.dumps(e.get("data"), sort_keys=True))
        out.extend({**e, "id": ident} for e, ident in zip(ordered, ids, strict=True))
        i = j
    return out


def _feature_name(feature: Any) -> str:
    return str(feature.get("name")) if isinstance(feature, dict) else ""


def normalise(value: Any, key: str | None = None) -> Any:
    if key in VOLATILE_KEYS and value is not None:
        placeholder = VOLATILE_KEYS[key]
        if placeholder is not None:
            return placeholder
    if key == "events" and isinstance(value, list):
        value = _stable_token_events(value)
    if key == "segments" and isinstance(value, list) and all(isinstance(v, int) for v in value):
        # Strategy segment ids: Unleash's admin API returns them in unspecified DB order
        # ([6, 1] for a strategy created with [1, 6]); the client API sorts them.
        return sorted(value)
    if (
        key == "segments"
        and isinstance(value, list)
        and all(isinstance(v, dict) and isinstance(v.get("id"), int) for v in value)
    ):
        # A strategy's segments (GET /api/admin/segments/strategies/{id}): Unleash selects them
        # with no ORDER BY, so they come in PostgreSQL's row order.
        value = sorted(value, key=lambda segment: segment["id"])
    if isinstance(value, dict) and "features" in value and "query" in value:
        # Client API (/api/client/features): the features come in PostgreSQL heap order
        # (an updated flag moves to the end), which no re-implementation can reproduce.
        value = {**value, "features": sorted(value["features"], key=_feature_name)}
    if isinstance(value, dict):
        return {k: normalise(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, str):
        return _norm_string(value)
    return value


def normalise_response(response: Mapping[str, Any]) -> dict[str, Any]:
    headers = dict(response.get("headers", {}))
    if "etag" in headers:
        headers["etag"] = "<etag>"
    if "content-type" in headers:
        headers["content-type"] = headers["content-type"].split(";")[0].strip().lower()
    if "location" in headers:
        headers["location"] = _norm_string(headers["location"])
    return {
        "status": response["status"],
        "headers": headers,
        "body": normalise(response.get("body")),
    }


# --------------------------------------------------------------------------- comparison


@dataclass
class StepResult:
    name: str
    matched: bool
    expected_difference: bool = False
    status: tuple[int, int] = (0, 0)
    diff: str = ""
    header_notes: list[str] = field(default_factory=list)


@dataclass
class Report:
    results: list[StepResult]

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def ok(self) -> int:
        return sum(1 for r in self.results if r.matched or r.expected_difference)

    @property
    def ratio(self) -> float:
        return self.ok / self.total if self.total else 0.0

    @property
    def mismatches(self) -> list[StepResult]:
        return [r for r in self.results if not (r.matched or r.expected_difference)]

    def summary(self, verbose: bool = False) -> str:
        exact = sum(1 for r in self.results if r.matched)
        expected = sum(1 for r in self.results if r.expected_difference and not r.matched)
        lines = [
            f"{self.ok}/{self.total} steps OK ({100 * self.ratio:.1f}%): {exact} identical, "
            f"{expected} deliberate (leash_differs) differences, {len(self.mismatches)} mismatches"
        ]
        for i, r in enumerate(self.results):
            if r in self.mismatches:
                lines.append(
                    f"--- MISMATCH #{i} {r.name}: status ref={r.status[0]} got={r.status[1]}"
                )
                if r.diff:
                    lines.append(r.diff)
            elif verbose and r.header_notes:
                lines.append(f"    headers #{i} {r.name}: " + "; ".join(r.header_notes))
        return "\n".join(lines)


def _dump(value: Any) -> list[str]:
    return json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False).splitlines()


def short_diff(expected: Any, actual: Any, max_lines: int = 40) -> str:
    diff = list(
        difflib.unified_diff(
            _dump(expected), _dump(actual), "reference", "actual", lineterm="", n=1
        )
    )
    if len(diff) > max_lines:
        diff = [*diff[:max_lines], f"... ({len(diff) - max_lines} more diff lines)"]
    return "\n".join("    " + line for line in diff)


def compare_records(
    reference: Sequence[Mapping[str, Any]], actual: Sequence[Mapping[str, Any]]
) -> Report:
    results = []
    by_name = {r["name"]: r for r in actual}
    for ref in reference:
        name = ref["name"]
        got = by_name.get(name)
        if got is None:
            results.append(StepResult(name, False, diff="    (step not replayed)"))
            continue
        a = normalise_response(ref["response"])
        b = normalise_response(got["response"])
        matched = a["status"] == b["status"] and a["body"] == b["body"]
        result = StepResult(name, matched, status=(a["status"], b["status"]))
        # Deliberate differences are declared in steps.py (copied onto the replayed records).
        meta = got if "leash_differs" in got else ref
        if meta.get("leash_differs") and "leash_status" in meta:
            allowed = meta["leash_status"]
            allowed = allowed if isinstance(allowed, list) else [allowed]
            result.expected_difference = b["status"] in allowed
        if not matched:
            result.diff = short_diff(a["body"], b["body"]) if a["body"] != b["body"] else ""
        for h in ("location", "content-type"):
            if a["headers"].get(h) != b["headers"].get(h):
                result.header_notes.append(
                    f"{h}: ref={a['headers'].get(h)!r} got={b['headers'].get(h)!r}"
                )
        results.append(result)
    return Report(results)


def load_reference(path: Path = REFERENCE_FILE) -> list[dict[str, Any]]:
    return list(json.loads(path.read_text())["steps"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token-admin", default=DEFAULT_TOKENS["admin"])
    parser.add_argument("--token-client", default=DEFAULT_TOKENS["client"])
    parser.add_argument("--token-frontend", default=DEFAULT_TOKENS["frontend"])
    parser.add_argument("--reference", type=Path, default=REFERENCE_FILE)
    parser.add_argument("--verbose", "-v", action="store_true", help="also list header differences")
    parser.add_argument("--min", type=float, default=0.95, help="exit 1 below this ratio")
    args = parser.parse_args(argv)
    tokens = {
        "admin": args.token_admin,
        "client": args.token_client,
        "frontend": args.token_frontend,
    }
    actual = run_steps(http_sender(args.base_url), tokens=tokens)
    report = compare_records(load_reference(args.reference), actual)
    print(report.summary(verbose=args.verbose))
    return 0 if report.ratio >= args.min else 1


if __name__ == "__main__":
    sys.exit(main())
