"""createFeature with `tags` (createFeatureSchema's tagSchema items), as Unleash 8.2 answers
it (fixtures/create_feature_tags.json): existing tags are attached, a repeated one once, with
no event of their own; the flag's feature-created event lists them. An unknown tag is a 500
in Unleash (a foreign key violation); leash answers 404 and creates no flag."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from support import ADMIN, without

REFERENCE: dict[str, Any] = json.loads(
    (Path(__file__).parent / "fixtures" / "create_feature_tags.json").read_text()
)
P = "/api/admin/projects/default/features"
WORLD = {"type": "simple", "value": "world"}


def _create_tag(client: TestClient) -> None:
    response = client.post("/api/admin/tags", headers=ADMIN, json=WORLD)
    expected = REFERENCE["createTag"]
    assert (response.status_code, response.json()) == (expected["status"], expected["body"])


def test_create_feature__with_tags__attached_as_unleash(client: TestClient) -> None:
    _create_tag(client)
    body = {"name": "tagged-1", "tags": [{**WORLD, "color": "#123456"}, WORLD]}
    response = client.post(P, headers=ADMIN, json=body)
    expected = REFERENCE["createFeature with tags"]
    assert response.status_code == expected["status"]
    assert without(response.json(), "createdAt") == without(expected["body"], "createdAt")
    listed = client.get("/api/admin/features/tagged-1/tags", headers=ADMIN)
    assert listed.json() == REFERENCE["listTags"]["body"]
    events = client.get("/api/admin/events", headers=ADMIN).json()["events"][:2]
    shown = [{k: e[k] for k in ("type", "data", "tags", "featureName", "project")} for e in events]
    assert without(shown, "createdAt") == without(REFERENCE["events"], "createdAt")


def test_create_feature__tagged__found_by_tag_in_search(client: TestClient) -> None:
    _create_tag(client)
    tagged = client.post(P, headers=ADMIN, json={"name": "tagged-1", "tags": [WORLD]})
    assert tagged.status_code == 201
    assert client.post(P, headers=ADMIN, json={"name": "plain"}).status_code == 201
    found = client.get("/api/admin/search/features?tag=INCLUDE:simple:world", headers=ADMIN)
    assert [f["name"] for f in found.json()["features"]] == ["tagged-1"]


def test_create_feature__empty_tags__created_untagged(client: TestClient) -> None:
    response = client.post(P, headers=ADMIN, json={"name": "tagged-0", "tags": []})
    assert response.status_code == 201
    assert client.get("/api/admin/features/tagged-0/tags", headers=ADMIN).json() == {
        "version": 1,
        "tags": [],
    }


def test_create_feature__unknown_tag__404_and_no_flag(client: TestClient) -> None:
    assert REFERENCE["createFeature with an unknown tag"]["status"] == 500
    body = {"name": "tagged-2", "tags": [{"type": "simple", "value": "nosuch"}]}
    response = client.post(P, headers=ADMIN, json=body)
    assert response.status_code == 404
    assert without(response.json(), "id") == {
        "name": "NotFoundError",
        "message": "No tag with type: [simple] and value [nosuch]",
        "details": [{"message": "No tag with type: [simple] and value [nosuch]"}],
    }
    after = client.get(P + "/tagged-2", headers=ADMIN)
    expected = REFERENCE["getFeature after the unknown tag"]
    assert (after.status_code, after.json()) == (expected["status"], expected["body"])
    events = client.get("/api/admin/events", headers=ADMIN).json()["events"]
    assert [e for e in events if e["featureName"] == "tagged-2"] == []


def test_create_feature__unknown_tag_type__404(client: TestClient) -> None:
    body = {"name": "tagged-2", "tags": [{"type": "nosuchtype", "value": "hello"}]}
    response = client.post(P, headers=ADMIN, json=body)
    assert response.status_code == 404
    assert response.json()["message"] == "No tag with type: [nosuchtype] and value [hello]"


INVALID = {
    "short value": [{"type": "simple", "value": "h"}],
    "additional property": [{"type": "simple", "value": "world", "x": 1}],
    "not an array": "a",
    "bad color": [{"type": "simple", "value": "world", "color": "red"}],
    "short type": [{"type": "s", "value": "world"}],
    "missing type": [{"value": "world"}],
}


@pytest.mark.parametrize("label", list(INVALID))
def test_create_feature__invalid_tags__400_as_unleash(client: TestClient, label: str) -> None:
    _create_tag(client)
    response = client.post(P, headers=ADMIN, json={"name": "tagged-3", "tags": INVALID[label]})
    expected = REFERENCE[f"createFeature, tags: {label}"]
    assert response.status_code == expected["status"]
    assert without(response.json(), "id") == without(expected["body"], "id")
