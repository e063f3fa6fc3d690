"""Segments mode serves only the segments the selected flags use: a token of one project never
reads another project's segments (issue 11, item 10).

Unleash 8.2 sends every segment some strategy uses whatever the token's projects or the query's
filters (asked of it: `?project=`, `namePrefix` and `tag` queries selecting no flag still list
them); leash differs on purpose for a narrowed query. An unnarrowed one is served as Unleash
serves it."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

import flagkit
from support import CLIENT, add_project

FEATURES = "/api/client/features"
SEGMENTS_MODE = {"Unleash-Client-Spec": "5.0.0"}


def _in(context: str, *values: str) -> dict[str, Any]:
    return {"contextName": context, "operator": "IN", "values": list(values)}


@pytest.fixture
def projects(client: TestClient) -> dict[str, int]:
    """alpha-flag uses alpha-seg and shared-seg, beta-flag beta-seg and shared-seg."""
    db = client.app.state.db  # type: ignore[attr-defined]
    add_project(db, "alpha")
    add_project(db, "beta")
    ids = {
        name: flagkit.create_segment(client, name, [_in("userId", f"{name}-user")])
        for name in ("alpha-seg", "beta-seg", "shared-seg")
    }
    for project in ("alpha", "beta"):
        flag = f"{project}-flag"
        flagkit.create_flag(client, flag, project=project)
        flagkit.add_strategy(
            client, flag, project=project, segments=[ids[f"{project}-seg"], ids["shared-seg"]]
        )
        flagkit.switch(client, flag, project=project)
    flagkit.add_tag(db, "alpha-flag", "simple", "blue")
    return ids


def _token(client: TestClient, kind: str, projects: list[str]) -> dict[str, str]:
    secret = flagkit.create_token(client, type=kind, projects=projects, environment="development")
    return {"Authorization": secret}


def _served(
    client: TestClient, headers: dict[str, str], **params: Any
) -> tuple[list[str], list[str]]:
    response = client.get(FEATURES, headers={**headers, **SEGMENTS_MODE}, params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    return (
        [feature["name"] for feature in body["features"]],
        [segment["name"] for segment in body["segments"]],
    )


def test_segments_mode__project_token__only_its_flags_segments(
    client: TestClient, projects: dict[str, int]
) -> None:
    alpha = _token(client, "client", ["alpha"])
    for _ in range(2):  # the route, then the hot path
        assert _served(client, alpha) == (["alpha-flag"], ["alpha-seg", "shared-seg"])
    body = client.get(FEATURES, headers={**alpha, **SEGMENTS_MODE}).json()
    assert body["segments"] == [
        {
            "id": projects["alpha-seg"],
            "name": "alpha-seg",
            "constraints": [_in("userId", "alpha-seg-user")],
        },
        {
            "id": projects["shared-seg"],
            "name": "shared-seg",
            "constraints": [_in("userId", "shared-seg-user")],
        },
    ]


def test_segments_mode__filters_narrow_the_flags__segments_narrowed_with_them(
    client: TestClient, projects: dict[str, int]
) -> None:
    assert _served(client, CLIENT, project="beta") == (["beta-flag"], ["beta-seg", "shared-seg"])
    assert _served(client, CLIENT, namePrefix="alpha-") == (
        ["alpha-flag"],
        ["alpha-seg", "shared-seg"],
    )
    assert _served(client, CLIENT, tag="simple:blue") == (
        ["alpha-flag"],
        ["alpha-seg", "shared-seg"],
    )
    assert _served(client, CLIENT, namePrefix="none-") == ([], [])


def test_segments_mode__every_project__every_used_segment_as_unleash(
    client: TestClient, projects: dict[str, int]
) -> None:
    assert _served(client, CLIENT) == (
        ["alpha-flag", "beta-flag"],
        ["alpha-seg", "beta-seg", "shared-seg"],
    )
    both = _token(client, "client", ["alpha", "beta"])
    assert _served(client, both) == (
        ["alpha-flag", "beta-flag"],
        ["alpha-seg", "beta-seg", "shared-seg"],
    )


def test_segments_mode__segment_changes__project_token_body_follows(
    client: TestClient, projects: dict[str, int]
) -> None:
    alpha = _token(client, "client", ["alpha"])
    assert _served(client, alpha) == (["alpha-flag"], ["alpha-seg", "shared-seg"])
    flagkit.add_strategy(client, "alpha-flag", project="alpha", segments=[projects["beta-seg"]])
    assert _served(client, alpha) == (["alpha-flag"], ["alpha-seg", "beta-seg", "shared-seg"])
    flagkit.update_segment(client, projects["beta-seg"], "beta-seg", [_in("userId", "zed")])
    body = client.get(FEATURES, headers={**alpha, **SEGMENTS_MODE}).json()
    assert body["segments"][1] == {
        "id": projects["beta-seg"],
        "name": "beta-seg",
        "constraints": [_in("userId", "zed")],
    }


def test_frontend__project_token__segment_constraints_matched__flag_on(
    client: TestClient, projects: dict[str, int]
) -> None:
    for name in ("alpha-seg", "shared-seg"):
        flagkit.update_segment(client, projects[name], name, [_in("userId", "alice")])
    alpha = _token(client, "frontend", ["alpha"])
    # The strategy's two segments must both match (segments are ANDed).
    for user, expected in (("alice", ["alpha-flag"]), ("bob", [])):
        response = client.get("/api/frontend", headers=alpha, params={"userId": user})
        assert response.status_code == 200, response.text
        assert [toggle["name"] for toggle in response.json()["toggles"]] == expected
