"""Builds flags, segments and tokens for client, frontend and SDK tests (importable as
`flagkit`). Everything goes through the admin API, except what leash has no API for yet
(projects are `support.add_project`) and tags written with no change logged (`add_tag`), which
are written to the database the app itself uses."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine

from leash.db.base import utcnow
from leash.features.models import feature_tags
from leash.tags.models import tags
from support import ADMIN

# A TestClient (an httpx.Client itself) or an httpx.Client with a base URL.
Http = httpx.Client


def create_segment(http: Http, name: str, constraints: list[dict[str, Any]]) -> int:
    response = http.post(
        "/api/admin/segments", headers=ADMIN, json={"name": name, "constraints": constraints}
    )
    assert response.status_code == 201, response.text
    segment_id: int = response.json()["id"]
    return segment_id


def update_segment(
    http: Http, segment_id: int, name: str, constraints: list[dict[str, Any]]
) -> None:
    response = http.put(
        f"/api/admin/segments/{segment_id}",
        headers=ADMIN,
        json={"name": name, "constraints": constraints},
    )
    assert response.status_code == 204, response.text


def create_flag(http: Http, name: str, *, project: str = "default", **fields: Any) -> None:
    response = http.post(
        f"/api/admin/projects/{project}/features", headers=ADMIN, json={"name": name, **fields}
    )
    assert response.status_code == 201, response.text


def add_strategy(
    http: Http,
    flag: str,
    *,
    project: str = "default",
    environment: str = "development",
    name: str = "flexibleRollout",
    parameters: dict[str, str] | None = None,
    constraints: list[dict[str, Any]] | None = None,
    segments: list[int] | None = None,
    variants: list[dict[str, Any]] | None = None,
) -> str:
    body: dict[str, Any] = {
        "name": name,
        "constraints": constraints or [],
        "segments": segments or [],
    }
    if parameters is not None:
        body["parameters"] = parameters
    elif name == "flexibleRollout":
        body["parameters"] = {"rollout": "100", "stickiness": "default", "groupId": flag}
    if variants is not None:
        body["variants"] = variants
    response = http.post(
        f"/api/admin/projects/{project}/features/{flag}/environments/{environment}/strategies",
        headers=ADMIN,
        json=body,
    )
    assert response.status_code == 200, response.text
    strategy_id: str = response.json()["id"]
    return strategy_id


def switch(
    http: Http,
    flag: str,
    *,
    on: bool = True,
    project: str = "default",
    environment: str = "development",
) -> None:
    state = "on" if on else "off"
    response = http.post(
        f"/api/admin/projects/{project}/features/{flag}/environments/{environment}/{state}",
        headers=ADMIN,
    )
    assert response.status_code == 200, response.text


def create_token(http: Http, *, type: str, projects: list[str], environment: str) -> str:
    response = http.post(
        "/api/admin/api-tokens",
        headers=ADMIN,
        json={
            "tokenName": f"{type}-{'-'.join(projects)}-{environment}".replace("*", "all"),
            "type": type,
            "projects": projects,
            "environment": environment,
        },
    )
    assert response.status_code == 201, response.text
    secret: str = response.json()["secret"]
    return secret


def tag_flag(http: Http, flag: str, tag_type: str, value: str) -> None:
    """Tag a flag through the admin API (addTag), as a user would."""
    response = http.post(
        f"/api/admin/features/{flag}/tags", headers=ADMIN, json={"type": tag_type, "value": value}
    )
    assert response.status_code == 201, response.text


def add_tag(db: Engine, flag: str, tag_type: str, value: str) -> None:
    """Rows written directly, with no event and no change logged (`tag_flag` is the API): for
    tests of what a snapshot does with a write it was not told of. The tag type must exist."""
    with db.begin() as conn:
        known = conn.execute(
            tags.select().where(tags.c.type == tag_type, tags.c.value == value)
        ).first()
        if known is None:
            conn.execute(tags.insert().values(type=tag_type, value=value, created_at=utcnow()))
        conn.execute(
            feature_tags.insert().values(
                feature_name=flag, tag_type=tag_type, tag_value=value, created_at=utcnow()
            )
        )


# The flag of the reference recording: a flexibleRollout with its own SEMVER constraint, one
# segment, and a strategy variant.
BETA_CONSTRAINTS = [{"contextName": "userId", "operator": "IN", "values": ["alice", "bob"]}]
SEMVER_CONSTRAINT = {"contextName": "appVersion", "operator": "SEMVER_GT", "value": "1.0.0"}
BLUE = {
    "name": "blue",
    "weight": 1000,
    "weightType": "variable",
    "stickiness": "default",
    "payload": {"type": "string", "value": "b"},
}


def reference_flag(http: Http, *, segment: str = "cq-beta", flag: str = "cq-seg-flag") -> int:
    """The segment + flag the recorded reference answers were made from; returns the segment id."""
    segment_id = create_segment(http, segment, BETA_CONSTRAINTS)
    create_flag(http, flag, description="d", impressionData=True)
    add_strategy(
        http, flag, constraints=[SEMVER_CONSTRAINT], segments=[segment_id], variants=[BLUE]
    )
    switch(http, flag)
    return segment_id


REFERENCE_FILE = Path(__file__).resolve().parent / "client_api" / "reference_answers.json"


def reference(name: str) -> dict[str, Any]:
    """One recorded Unleash answer (8.2.0, as 7.5.1): {status, content_type, body} (normalised)."""
    answers: dict[str, dict[str, Any]] = json.loads(REFERENCE_FILE.read_text())
    return answers[name]


UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")


def normalise(value: Any, *, suffix: str = "\0") -> Any:
    """Volatile values to placeholders, the recording's unique name suffix removed."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key in ("etag", "queryHash", "revisionId"):
                out[key] = f"<{key}>"
            elif key == "id" and isinstance(item, str):
                out[key] = "<uuid>"
            elif (
                key == "segments"
                and isinstance(item, list)
                and all(isinstance(i, int) for i in item)
            ):
                out[key] = ["<segment id>" for _ in item]
            elif key == "id" and isinstance(item, int):
                out[key] = "<segment id>"
            else:
                out[key] = normalise(item, suffix=suffix)
        return out
    if isinstance(value, list):
        return [normalise(item, suffix=suffix) for item in value]
    if isinstance(value, str):
        value = value.replace(suffix, "")
        value = UUID.sub("<uuid>", value)
        return STAMP.sub("<timestamp>", value)
    return value
