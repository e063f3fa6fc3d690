"""Schemathesis against leash's own /docs/openapi.json, on a real server, on both databases.

Every operation of the admin (segments, flags, strategies, API tokens, projects, events),
client and frontend APIs gets generated requests, valid ones and invalid ones, then a stateful
run follows the document's links (create a segment, then read, update, delete it; create a
flag, add a strategy, ...). Every answer must be below 500, conform to the documented status,
content type and schema, and every 4xx must carry Unleash's error body except the answers
the declared operations (leash.api.operation.OPERATIONS) list as Unleash's own bare ones.

Two schemathesis checks are left out on purpose: negative_data_rejection and
positive_data_acceptance. Unleash validates with ajv's coerceTypes, so {"name": 1} is a valid
segment name for Unleash (and leash) though JSON Schema says it is not; and a valid body can
still be refused for a reason no schema can state (a name already taken, a missing project).

More examples: LEASH_FUZZ_EXAMPLES=100 .venv/bin/python -m pytest tests/reliability/test_api_fuzz.py
"""

from __future__ import annotations

import os
import time
from collections import Counter
from typing import Any

import orjson
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import FlakyStrategyDefinition, Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi import checks as openapi_checks

from conftest import make_settings
from leash.api.openapi import MESSAGE_ONLY, WRONG_TOKEN_KIND
from leash.api.operation import HTML, OPERATIONS
from live import live_server
from support import ADMIN, CLIENT, FRONTEND

pytestmark = [pytest.mark.fuzz, pytest.mark.slow]

EXAMPLES = int(os.environ.get("LEASH_FUZZ_EXAMPLES", "25"))
STATEFUL_STEPS = 40
STATEFUL_REQUESTS = int(os.environ.get("LEASH_FUZZ_STATEFUL", "250"))
MIN_REQUESTS = 1_000

CHECKS = [
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.response_schema_conformance,
]


# Routes that belong to a logged-in user (an admin API token owns no personal access tokens):
# they are called with the session cookie, from leash's own origin (the CSRF check).
SESSION_PATHS = ("/api/admin/user", "/logout")


def _token(path: str, session: dict[str, str] | None = None) -> dict[str, str]:
    if path.startswith("/api/client"):
        return CLIENT
    if path.startswith("/api/frontend"):
        return FRONTEND
    if session is not None and path.startswith(SESSION_PATHS):
        return session
    return ADMIN


def _session(base_url: str) -> dict[str, str]:
    """Headers of a logged-in admin user (taken before fuzzing changes any password)."""
    response = requests.post(
        f"{base_url}/auth/simple/login",
        json={"username": "admin", "password": "unleash4all"},
        headers={"Origin": base_url},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return {"Cookie": f"unleash-session={response.cookies['unleash-session']}", "Origin": base_url}


def _bare_answers() -> dict[tuple[str, str], Any]:
    """(operationId or "*", status) -> what Unleash sends instead of its error body: the
    declared operations' `bare`, and a token of the wrong kind on any operation."""
    found: dict[tuple[str, str], Any] = {("*", "403"): WRONG_TOKEN_KIND}
    for operation in OPERATIONS.values():
        for status, body in operation.bare.items():
            found[(operation.operation_id, str(status))] = body
    return found


def _maybe_empty(operation_id: str, status: int) -> bool:
    declared = OPERATIONS.get(operation_id)
    return declared is not None and status in declared.maybe_empty


def _operation_ids() -> set[str]:
    return set(OPERATIONS)


def _is_bare(operation_id: str, status: int, body: Any) -> bool:
    """Is this one of the non-error-body answers Unleash itself gives?"""
    for (listed, listed_status), schema in _bare_answers().items():
        if listed in ("*", operation_id) and listed_status == str(status):
            if schema is None:
                return body is None
            if schema == HTML:
                return bool(body == "<not JSON>")
            assert isinstance(schema, dict)
            if schema is MESSAGE_ONLY or MESSAGE_ONLY in schema.get("anyOf", []):
                return isinstance(body, dict) and set(body) == {"message"}
    return False


class Tally:
    def __init__(self) -> None:
        self.requests = 0
        self.statuses: Counter[int] = Counter()
        self.problems: list[str] = []
        self.by_operation: Counter[tuple[str, int]] = Counter()
        self.restarts = 0

    def judge(self, case: Any, response: requests.Response) -> None:
        self.requests += 1
        self.statuses[response.status_code] += 1
        self.by_operation[(case.operation.label, response.status_code)] += 1
        operation_id = case.operation.definition.raw.get("operationId", case.operation.label)
        where = f"{case.method} {case.formatted_path} -> {response.status_code}"
        if response.status_code >= 500:
            self.problems.append(f"{where}: {response.text[:300]}")
            return
        empty = not response.content
        if empty and _maybe_empty(operation_id, response.status_code):
            return
        if 400 <= response.status_code < 500:
            body = None if empty else _json(response)
            if not _is_bare(operation_id, response.status_code, body) and not _is_error(body):
                self.problems.append(f"{where}: not Unleash's error body: {response.text[:300]}")
                return
        try:
            case.validate_response(response, checks=CHECKS)
        except Exception as failure:  # schemathesis raises a group of check failures
            found = getattr(failure, "exceptions", [failure])
            self.problems.extend(f"{where}: {str(f)[:500]}" for f in found)


def _json(response: requests.Response) -> Any:
    try:
        return orjson.loads(response.content)
    except orjson.JSONDecodeError:
        return "<not JSON>"


def _is_error(body: Any) -> bool:
    return (
        isinstance(body, dict)
        and isinstance(body.get("name"), str)
        and isinstance(body.get("message"), str)
        and isinstance(body.get("details", []), list)
        and all(isinstance(d, dict) and "message" in d for d in body.get("details", []))
    )


def _schema(base_url: str) -> Any:
    document = requests.get(f"{base_url}/docs/openapi.json", timeout=10).json()
    schema = schemathesis.openapi.from_dict(document)
    schema.config.update(base_url=base_url)
    # Requests carry a valid token for their API: auth is tested elsewhere, bodies here.
    schema.config.generation.update(with_security_parameters=False)
    return schema.include(operation_id=sorted(_operation_ids()))


def _fixtures(base_url: str) -> dict[str, str]:
    """Objects for generated requests to reach: random path values alone mostly meet 404s."""

    def post(path: str, body: Any) -> Any:
        response = requests.post(f"{base_url}{path}", json=body, headers=ADMIN, timeout=30)
        assert response.status_code in (200, 201), response.text
        return response.json()

    segment = post("/api/admin/segments", {"name": "fuzz-segment", "constraints": []})
    post("/api/admin/projects/default/features", {"name": "fuzz-flag"})
    strategy = post(
        "/api/admin/projects/default/features/fuzz-flag/environments/development/strategies",
        {"name": "flexibleRollout", "parameters": {"rollout": "50"}, "segments": [segment["id"]]},
    )
    token = post("/api/admin/api-tokens", {"type": "client", "tokenName": "fuzz-token"})
    return {
        "projectId": "default",
        "featureName": "fuzz-flag",
        "name": "fuzz-flag",
        "environment": "development",
        "strategyId": strategy["id"],
        "id": str(segment["id"]),
        "token": token["secret"],
    }


def _modes(operation: Any) -> list[GenerationMode]:
    """Invalid requests where something can be invalid: a body, or a typed parameter (a string
    path parameter has no invalid value, and searching for one only costs time)."""
    raw = operation.definition.raw
    typed = any(
        p.get("schema", {}).get("type") not in (None, "string") for p in raw.get("parameters", [])
    )
    if "requestBody" in raw or typed:
        return [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    return [GenerationMode.POSITIVE]


def _fuzz_operation(
    operation: Any,
    base_url: str,
    tally: Tally,
    mode: GenerationMode,
    known: dict[str, str],
    session: dict[str, str],
) -> None:
    headers = _token(operation.path, session)
    names = {p.name for p in operation.path_parameters}
    strategy = operation.as_strategy(generation_mode=mode)
    if names:
        existing = {name: value for name, value in known.items() if name in names}
        strategy = strategy | operation.as_strategy(generation_mode=mode, path_parameters=existing)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        response = case.call(base_url=base_url, headers=headers, timeout=30, allow_redirects=False)
        tally.judge(case, response)

    try:
        run()
    except Unsatisfiable:
        # Nothing to make invalid: an operation with no parameters and no body.
        if mode is not GenerationMode.NEGATIVE:
            raise


def test_api_fuzz__every_operation__no_5xx_documented_answers(database_url: str) -> None:
    tally = Tally()
    with live_server(make_settings(database_url)) as base_url:
        schema = _schema(base_url)
        operations = [result.ok() for result in schema.get_all_operations()]
        fuzzed = {op.definition.raw["operationId"] for op in operations}
        assert fuzzed == _operation_ids()
        known = _fixtures(base_url)
        session = _session(base_url)
        # Deletions last, so the other operations still find the fixtures; then maintenance
        # mode (once on, every admin write is a 503 by design); logout last of all.
        operations.sort(
            key=lambda op: (
                op.path == "/logout",
                op.path == "/api/admin/maintenance",
                op.method.upper() == "DELETE",
            )
        )
        for operation in operations:
            for mode in _modes(operation):
                started = time.perf_counter()
                _fuzz_operation(operation, base_url, tally, mode, known, session)
                if os.environ.get("LEASH_FUZZ_VERBOSE"):
                    print(f"{operation.label} {mode.value}: {time.perf_counter() - started:.1f}s")

    print(f"\nfuzz: {tally.requests} requests, statuses {dict(sorted(tally.statuses.items()))}")
    if os.environ.get("LEASH_FUZZ_VERBOSE"):
        print(*sorted(tally.by_operation.items()), sep="\n")
    assert tally.problems == []
    assert tally.requests >= MIN_REQUESTS


def test_api_fuzz__stateful_links__no_5xx_documented_answers(database_url: str) -> None:
    tally = Tally()
    with live_server(make_settings(database_url)) as base_url:
        machine = _schema(base_url).as_state_machine()
        session = _session(base_url)

        class Stateful(machine):  # type: ignore[misc,valid-type]
            def get_call_kwargs(self, case: Any) -> dict[str, Any]:
                return {
                    "base_url": base_url,
                    "headers": _token(case.path, session),
                    "timeout": 30,
                    "allow_redirects": False,
                }

            def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
                tally.judge(case, response)

        # The machine draws from what the server answered, so hypothesis sometimes finds the
        # same choices leading elsewhere and stops a run as "flaky"; answers are judged as they
        # come (Tally), so a stopped run loses nothing: start another until enough were made.
        runs = 0
        while tally.requests < STATEFUL_REQUESTS and runs < 20:
            runs += 1
            try:
                Stateful.run(
                    settings=settings(
                        max_examples=STATEFUL_STEPS,
                        stateful_step_count=8,
                        deadline=None,
                        database=None,
                        suppress_health_check=list(HealthCheck),
                    ),
                )
            except FlakyStrategyDefinition:
                tally.restarts += 1
    print(
        f"\nstateful: {tally.requests} requests in {runs} runs ({tally.restarts} cut short), "
        f"{dict(sorted(tally.statuses.items()))}"
    )
    if os.environ.get("LEASH_FUZZ_VERBOSE"):
        print(*sorted(tally.by_operation.items()), sep="\n")
    assert tally.problems == []
    assert tally.requests >= STATEFUL_REQUESTS
