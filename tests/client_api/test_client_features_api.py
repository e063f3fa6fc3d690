"""GET /api/client/features and /features/{name}: segment modes, the spec header, token scope,
filters, ETag/304 and auth errors. Expected bodies are Unleash 7.5.1's (reference_answers.json,
recorded by record_reference.py)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

import flagkit
from flagkit import normalise, reference
from support import ADMIN, BAD_DATA_LIST, CLIENT, FRONTEND, add_project

FEATURES = "/api/client/features"
SEGMENTS_MODE = {**CLIENT, "Unleash-Client-Spec": "4.3.0"}
TOKEN_REQUIRED = {
    "message": "This endpoint requires an API token. Please add an authorization header to your "
    "request with a valid token"
}
WRONG_TYPE = {"message": "invalid token: expected a different token type for this endpoint"}


def names(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return sorted(feature["name"] for feature in response.json()["features"])


def on_flag(client: TestClient, name: str, **fields: Any) -> None:
    flagkit.create_flag(client, name, **fields)
    flagkit.add_strategy(client, name, project=fields.get("project", "default"))
    flagkit.switch(client, name, project=fields.get("project", "default"))


def test_client_features__spec_4_3_0__segments_listed_and_referenced_as_reference(
    client: TestClient,
) -> None:
    flagkit.reference_flag(client)
    response = client.get(FEATURES, params={"namePrefix": "cq-seg-flag"}, headers=SEGMENTS_MODE)
    expected = reference("client_features_segments_mode")
    assert response.status_code == expected["status"]
    assert response.headers["content-type"] == expected["content_type"]
    assert normalise(response.json()) == expected["body"]
    body = response.json()
    assert body["features"][0]["strategies"][0]["segments"] == [body["segments"][0]["id"]]
    assert body["meta"]["etag"] == response.headers["etag"]


def test_client_features__no_spec_header__segment_constraints_inlined_as_reference(
    client: TestClient,
) -> None:
    flagkit.reference_flag(client)
    response = client.get(FEATURES, params={"namePrefix": "cq-seg-flag"}, headers=CLIENT)
    expected = reference("client_features_inline_mode")
    assert response.status_code == expected["status"]
    assert normalise(response.json()) == expected["body"]
    assert "segments" not in response.json()


def test_client_feature__by_name__each_mode_as_reference(client: TestClient) -> None:
    flagkit.reference_flag(client)
    segments_mode = client.get(f"{FEATURES}/cq-seg-flag", headers=SEGMENTS_MODE)
    inline_mode = client.get(f"{FEATURES}/cq-seg-flag", headers=CLIENT)
    assert (segments_mode.status_code, inline_mode.status_code) == (200, 200)
    assert normalise(segments_mode.json()) == reference("client_feature_segments_mode")["body"]
    assert normalise(inline_mode.json()) == reference("client_feature_inline_mode")["body"]


def test_client_feature__unknown_name__404_as_reference(client: TestClient) -> None:
    response = client.get(f"{FEATURES}/nope", headers=CLIENT)
    assert response.status_code == 404
    assert response.json() == reference("client_feature_unknown")["body"]


@pytest.mark.parametrize(
    ("header", "inline"),
    [
        ("4.2.0", False),
        ("4.3.0-rc.1", False),
        ("10.0.0", False),
        ("6.1.0", False),
        ("4.1.99", True),
        ("4.2.0-rc.1", True),
        ("1.0.0-alpha", True),
        ("", True),
    ],
)
def test_client_features__spec_header__mode_as_reference(
    client: TestClient, header: str, inline: bool
) -> None:
    response = client.get(FEATURES, headers={**CLIENT, "Unleash-Client-Spec": header})
    assert response.status_code == 200, response.text
    assert response.json()["query"]["inlineSegmentConstraints"] is inline
    assert ("segments" in response.json()) is not inline


@pytest.mark.parametrize(
    ("header", "recorded"),
    [("abc", "client_spec_bad_prefix"), ("4.x", "client_spec_bad_semver")],
)
def test_client_features__malformed_spec_header__400_as_reference(
    client: TestClient, header: str, recorded: str
) -> None:
    response = client.get(FEATURES, headers={**CLIENT, "Unleash-Client-Spec": header})
    assert response.status_code == 400
    assert response.json() == reference(recorded)["body"]


@pytest.mark.parametrize("header", ["5", "4.3", "v4.3.0", "04.3.0", "4.3.0.1", "4.3.0+build"])
def test_client_features__not_strict_semver__400_naming_the_header(
    client: TestClient, header: str
) -> None:
    # Unleash accepts only what node-semver's clean() leaves unchanged: no build metadata either.
    response = client.get(FEATURES, headers={**CLIENT, "Unleash-Client-Spec": header})
    assert response.status_code == 400
    kind = "prefix" if header.startswith("v") else "SemVer"
    assert response.json()["details"] == [
        {"message": f'Invalid {kind} in the Unleash-Client-Spec header: "{header}".'}
    ]


def test_client_features__inline_mode__own_constraints_first_then_each_segment_in_order(
    client: TestClient,
) -> None:
    first = flagkit.create_segment(
        client, "first", [{"contextName": "country", "operator": "IN", "values": ["NO"]}]
    )
    second = flagkit.create_segment(
        client, "second", [{"contextName": "plan", "operator": "IN", "values": ["pro"]}]
    )
    flagkit.create_flag(client, "two-segments")
    own = {"contextName": "userId", "operator": "IN", "values": ["u1"]}
    flagkit.add_strategy(client, "two-segments", constraints=[own], segments=[second, first])
    strategy = client.get(f"{FEATURES}/two-segments", headers=CLIENT).json()["strategies"][0]
    assert [c["contextName"] for c in strategy["constraints"]] == ["userId", "country", "plan"]
    assert "segments" not in strategy
    with_ids = client.get(f"{FEATURES}/two-segments", headers=SEGMENTS_MODE).json()
    assert with_ids["strategies"][0]["segments"] == [first, second]
    assert [c["contextName"] for c in with_ids["strategies"][0]["constraints"]] == ["userId"]


def test_client_features__segments_mode__only_linked_segments_listed(client: TestClient) -> None:
    flagkit.create_segment(client, "unused", flagkit.BETA_CONSTRAINTS)
    used = flagkit.create_segment(client, "used", flagkit.BETA_CONSTRAINTS)
    flagkit.create_flag(client, "uses-one")
    flagkit.add_strategy(client, "uses-one", segments=[used])
    body = client.get(FEATURES, headers=SEGMENTS_MODE).json()
    assert [segment["name"] for segment in body["segments"]] == ["used"]


def test_client_features__project_token__sees_only_its_project(client: TestClient) -> None:
    add_project(client.app.state.db, "alpha")  # type: ignore[attr-defined]
    add_project(client.app.state.db, "beta")  # type: ignore[attr-defined]
    on_flag(client, "in-alpha", project="alpha")
    on_flag(client, "in-beta", project="beta")
    on_flag(client, "in-default")
    alpha = {
        "Authorization": flagkit.create_token(
            client, type="client", projects=["alpha"], environment="development"
        )
    }
    assert names(client.get(FEATURES, headers=alpha)) == ["in-alpha"]
    # A project query cannot widen the token's scope.
    assert names(client.get(FEATURES, params={"project": "beta"}, headers=alpha)) == ["in-alpha"]
    assert client.get(f"{FEATURES}/in-beta", headers=alpha).status_code == 404
    assert client.get(f"{FEATURES}/in-alpha", headers=alpha).status_code == 200
    assert client.get(FEATURES, headers=alpha).json()["query"]["project"] == ["alpha"]
    both = {
        "Authorization": flagkit.create_token(
            client, type="client", projects=["alpha", "beta"], environment="development"
        )
    }
    assert names(client.get(FEATURES, headers=both)) == ["in-alpha", "in-beta"]
    assert names(client.get(FEATURES, headers=CLIENT)) == ["in-alpha", "in-beta", "in-default"]


def test_client_features__production_token__production_state_whatever_the_query(
    client: TestClient,
) -> None:
    flagkit.create_flag(client, "prod-only")
    flagkit.add_strategy(client, "prod-only", environment="production")
    flagkit.switch(client, "prod-only", environment="production")
    production = {
        "Authorization": flagkit.create_token(
            client, type="client", projects=["*"], environment="production"
        )
    }
    answer = client.get(FEATURES, params={"environment": "development"}, headers=production)
    assert answer.status_code == 200
    feature = answer.json()["features"][0]
    assert (feature["name"], feature["enabled"], len(feature["strategies"])) == (
        "prod-only",
        True,
        1,
    )
    assert answer.json()["query"]["environment"] == "production"
    development = client.get(FEATURES, headers=CLIENT).json()["features"][0]
    assert (development["enabled"], development["strategies"]) == (False, [])


def test_client_features__project_and_name_prefix_filters__applied(client: TestClient) -> None:
    add_project(client.app.state.db, "alpha")  # type: ignore[attr-defined]
    for name, project in (("web.a", "default"), ("web.b", "alpha"), ("api.a", "default")):
        flagkit.create_flag(client, name, project=project)
    assert names(client.get(FEATURES, params={"project": "alpha"}, headers=CLIENT)) == ["web.b"]
    assert names(
        client.get(FEATURES, params=[("project", "alpha"), ("project", "default")], headers=CLIENT)
    ) == ["api.a", "web.a", "web.b"]
    by_prefix = client.get(FEATURES, params={"namePrefix": "web."}, headers=CLIENT)
    assert names(by_prefix) == ["web.a", "web.b"]
    assert by_prefix.json()["query"] == {
        "namePrefix": "web.",
        "environment": "development",
        "inlineSegmentConstraints": True,
    }
    both = client.get(FEATURES, params={"namePrefix": "web.", "project": "default"}, headers=CLIENT)
    assert names(both) == ["web.a"]


def test_client_features__tag_filter__flags_with_any_given_tag(client: TestClient) -> None:
    for name in ("tagged-a", "tagged-b", "untagged"):
        flagkit.create_flag(client, name)
    db = client.app.state.db  # type: ignore[attr-defined]
    flagkit.add_tag(db, "tagged-a", "simple", "team-a")
    flagkit.add_tag(db, "tagged-b", "simple", "team-b")
    one = client.get(FEATURES, params={"tag": "simple:team-a"}, headers=CLIENT)
    assert names(one) == ["tagged-a"]
    assert one.json()["query"]["tag"] == [["simple", "team-a"]]
    either = client.get(
        FEATURES, params=[("tag", "simple:team-a"), ("tag", "simple:team-b")], headers=CLIENT
    )
    assert names(either) == ["tagged-a", "tagged-b"]
    assert names(client.get(FEATURES, params={"tag": "simple:nobody"}, headers=CLIENT)) == []


def test_client_features__if_none_match_current_etag__304_without_body_or_etag(
    client: TestClient,
) -> None:
    flagkit.reference_flag(client)
    first = client.get(FEATURES, headers=SEGMENTS_MODE)
    etag = first.headers["etag"]
    again = client.get(FEATURES, headers={**SEGMENTS_MODE, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert "etag" not in again.headers
    stale = client.get(FEATURES, headers={**SEGMENTS_MODE, "If-None-Match": '"other"'})
    assert (stale.status_code, stale.headers["etag"]) == (200, etag)


def test_client_features__each_query_and_mode__own_etag(client: TestClient) -> None:
    flagkit.reference_flag(client)
    etags = {
        client.get(FEATURES, headers=SEGMENTS_MODE).headers["etag"],
        client.get(FEATURES, headers=CLIENT).headers["etag"],
        client.get(FEATURES, params={"namePrefix": "cq"}, headers=CLIENT).headers["etag"],
    }
    assert len(etags) == 3
    segments_etag = client.get(FEATURES, headers=SEGMENTS_MODE).headers["etag"]
    inline = client.get(FEATURES, headers={**CLIENT, "If-None-Match": segments_etag})
    assert inline.status_code == 200


@pytest.mark.parametrize(
    "change",
    ["strategy", "toggle", "segment"],
)
def test_client_features__admin_change__new_etag_and_body_then_304_again(
    client: TestClient, change: str
) -> None:
    segment_id = flagkit.reference_flag(client)
    before = client.get(FEATURES, headers=SEGMENTS_MODE)
    if change == "strategy":
        flagkit.add_strategy(client, "cq-seg-flag", name="default")
    elif change == "toggle":
        flagkit.switch(client, "cq-seg-flag", on=False)
    else:
        flagkit.update_segment(
            client,
            segment_id,
            "cq-beta",
            [{"contextName": "userId", "operator": "IN", "values": ["zed"]}],
        )
    after = client.get(FEATURES, headers={**SEGMENTS_MODE, "If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert after.headers["etag"] != before.headers["etag"]
    assert (
        after.json()["features"] != before.json()["features"]
        or after.json()["segments"] != before.json()["segments"]
    )
    if change == "strategy":
        assert len(after.json()["features"][0]["strategies"]) == 2
    elif change == "toggle":
        assert after.json()["features"][0]["enabled"] is False
    else:
        assert after.json()["segments"][0]["constraints"][0]["values"] == ["zed"]
    unchanged = client.get(
        FEATURES, headers={**SEGMENTS_MODE, "If-None-Match": after.headers["etag"]}
    )
    assert unchanged.status_code == 304


def test_client_features__archived_flag__gone_and_etag_changes(client: TestClient) -> None:
    on_flag(client, "to-archive")
    before = client.get(FEATURES, headers=CLIENT)
    assert names(before) == ["to-archive"]
    assert (
        client.delete("/api/admin/projects/default/features/to-archive", headers=ADMIN).status_code
        == 202
    )
    after = client.get(FEATURES, headers={**CLIENT, "If-None-Match": before.headers["etag"]})
    assert names(after) == []
    assert after.headers["etag"] != before.headers["etag"]


@pytest.mark.parametrize(
    ("headers", "status", "body"),
    [
        ({}, 401, TOKEN_REQUIRED),
        ({"Authorization": "nope"}, 401, TOKEN_REQUIRED),
        ({"Authorization": "*:development.unknown-secret"}, 401, TOKEN_REQUIRED),
        (FRONTEND, 403, WRONG_TYPE),
        # Unleash 8.x (and leash) refuse admin tokens on the client API; 7.5.1 still served them.
        (ADMIN, 403, WRONG_TYPE),
    ],
)
@pytest.mark.parametrize("path", [FEATURES, f"{FEATURES}/any"])
def test_client_features__not_a_client_token__status_and_body_as_reference(
    client: TestClient, headers: dict[str, str], status: int, body: dict[str, str], path: str
) -> None:
    response = client.get(path, headers=headers)
    assert response.status_code == status
    assert response.json() == body
    assert reference("client_no_token")["body"] == TOKEN_REQUIRED
    assert reference("client_frontend_token")["body"] == WRONG_TYPE


def test_client_features__bearer_prefix__accepted(client: TestClient) -> None:
    response = client.get(FEATURES, headers={"Authorization": f"Bearer {CLIENT['Authorization']}"})
    assert response.status_code == 200




@pytest.mark.parametrize(
    ("query", "details"),
    [  # as Unleash 7.5.1 answered each query
        (
            "tag=simple",
            ['"tag[0]" with value "simple" fails to match the tag pattern. You provided "simple".'],
        ),
        ("tag=:x", ['"tag[0]" with value ":x" fails to match the tag pattern. You provided ":x".']),
        (
            "tag=simple:",
            [
                '"tag[0]" with value "simple:" fails to match the tag pattern. '
                'You provided "simple:".'
            ],
        ),
        ("tag=", ['"tag" must be an array.']),
        ("project=", ['"project" must be an array.']),
        ("project=a&project=", ['"project[1]" is not allowed to be empty.']),
        (
            "project=a%20b",
            [
                '"project[0]" must be URL friendly. You provided "a b".',
                '"project" does not contain 1 required value(s). You provided ["a b"].',
            ],
        ),
        ("namePrefix=", ['"namePrefix" is not allowed to be empty.']),
        (
            "tag=simple&namePrefix=&tag=x:y",
            [
                '"tag[0]" with value "simple" fails to match the tag pattern. '
                'You provided "simple".',
                '"namePrefix" is not allowed to be empty.',
            ],
        ),
    ],
)
def test_client_features__malformed_filter__400_listing_each_problem(
    client: TestClient, query: str, details: list[str]
) -> None:
    for _ in range(2):  # also once the token is cached for the in-memory path
        response = client.get(f"{FEATURES}?{query}", headers=CLIENT)
        assert response.status_code == 400
        assert response.json() == {
            "name": "BadDataError",
            "message": BAD_DATA_LIST,
            "details": [{"message": message} for message in details],
        }
