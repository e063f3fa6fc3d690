"""The tag APIs beyond the recorded scenario: who may do what, where leash answers what Unleash
answers with a 500, all-or-nothing writes, and what SDKs filtering by tag see."""

from __future__ import annotations

from typing import Any

from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import insert, select

import flagkit
from leash.config import Settings
from leash.db import create_db_engine
from leash.db.base import utcnow
from leash.db.migrate import alembic_config
from leash.events.models import events
from leash.features.models import feature_tags, features
from leash.tags.models import tag_types, tags
from support import ADMIN, CLIENT, add_project

PASSWORD = "Very-Secret-Pass-123!"
VIEWER, EDITOR, MEMBER = 3, 2, 5
TYPES = "/api/admin/tag-types"
FEATURES = "/api/client/features"
# What an SDK sends with its poll (the Node SDK's headers).
SDK = {**CLIENT, "UNLEASH-APPNAME": "tags-test", "UNLEASH-INSTANCEID": "i-1"}


def _user(client: TestClient, username: str, root_role: int) -> tuple[int, dict[str, str]]:
    created = client.post(
        "/api/admin/user-admin",
        headers=ADMIN,
        json={"username": username, "rootRole": root_role, "password": PASSWORD},
    )
    assert created.status_code == 201, created.text
    login = client.post("/auth/simple/login", json={"username": username, "password": PASSWORD})
    assert login.status_code == 200
    pat = client.post(
        "/api/admin/user/tokens", json={"description": "t", "expiresAt": "2099-01-01T00:00:00Z"}
    )
    client.cookies.clear()
    return int(created.json()["id"]), {"Authorization": pat.json()["secret"]}


def _event_types(client: TestClient) -> list[str]:
    db = client.app.state.db  # type: ignore[attr-defined]
    with db.connect() as conn:
        return [row.type for row in conn.execute(select(events.c.type).order_by(events.c.id))]


def _flag_tags(client: TestClient, flag: str) -> list[dict[str, Any]]:
    answer = client.get(f"/api/admin/features/{flag}/tags", headers=ADMIN)
    assert answer.status_code == 200, answer.text
    found: list[dict[str, Any]] = answer.json()["tags"]
    return found


def _served(client: TestClient, tag: str) -> list[str]:
    answer = client.get(FEATURES, params={"tag": tag}, headers=SDK)
    assert answer.status_code == 200, answer.text
    return [flag["name"] for flag in answer.json()["features"]]


def _permission_error(response: Any, permission: str) -> None:
    assert response.status_code == 403, response.text
    body = response.json()
    assert body["name"] == "PermissionError"
    assert body["permissions"] == [permission]


# -- who may do what --------------------------------------------------------------------------


def test_viewer__tag_type_writes__403_nothing_changed(client: TestClient) -> None:
    _, viewer = _user(client, "tag-viewer", VIEWER)
    _permission_error(client.post(TYPES, headers=viewer, json={"name": "team"}), "CREATE_TAG_TYPE")
    _permission_error(
        client.put(f"{TYPES}/simple", headers=viewer, json={"description": "x"}),
        "UPDATE_TAG_TYPE",
    )
    _permission_error(client.delete(f"{TYPES}/simple", headers=viewer), "DELETE_TAG_TYPE")
    listed = client.get(TYPES, headers=viewer).json()["tagTypes"]
    assert listed == [
        {
            "name": "simple",
            "description": "Used to simplify filtering of features",
            "icon": "#",
            "color": "#FFFFFF",
        }
    ]


def test_viewer__flag_tag_writes__403_reads_and_create_tag_allowed(client: TestClient) -> None:
    flagkit.create_flag(client, "viewed")
    flagkit.tag_flag(client, "viewed", "simple", "kept")
    _, viewer = _user(client, "tag-viewer2", VIEWER)
    tag = {"type": "simple", "value": "other"}
    feature = "/api/admin/features/viewed/tags"
    _permission_error(client.post(feature, headers=viewer, json=tag), "UPDATE_FEATURE")
    _permission_error(
        client.put(feature, headers=viewer, json={"addedTags": [tag], "removedTags": []}),
        "UPDATE_FEATURE",
    )
    _permission_error(client.delete(f"{feature}/simple/kept", headers=viewer), "UPDATE_FEATURE")
    bulk = {"features": ["viewed"], "tags": {"addedTags": [tag], "removedTags": []}}
    _permission_error(
        client.put("/api/admin/projects/default/tags", headers=viewer, json=bulk),
        "UPDATE_FEATURE",
    )
    _permission_error(
        client.delete("/api/admin/tags/simple/kept", headers=viewer), "UPDATE_FEATURE"
    )
    assert client.get(feature, headers=viewer).json() == {
        "version": 1,
        "tags": [{"type": "simple", "value": "kept", "color": "#FFFFFF"}],
    }
    # Unleash asks no permission to create a tag.
    assert client.post("/api/admin/tags", headers=viewer, json=tag).status_code == 201


def test_editor__tag_types_tags_and_flag_tags__allowed(client: TestClient) -> None:
    flagkit.create_flag(client, "edited")
    _, editor = _user(client, "tag-editor", EDITOR)
    assert client.post(TYPES, headers=editor, json={"name": "team"}).status_code == 201
    assert client.put(f"{TYPES}/team", headers=editor, json={"icon": "t"}).status_code == 200
    added = client.post(
        "/api/admin/features/edited/tags", headers=editor, json={"type": "team", "value": "core"}
    )
    assert added.status_code == 201
    assert client.delete("/api/admin/tags/team/core", headers=editor).status_code == 200
    assert client.delete(f"{TYPES}/team", headers=editor).status_code == 200


def test_project_member__tags_flags_of_own_project_only(
    client: TestClient, settings: Settings
) -> None:
    add_project(client.app.state.db, "team-x")  # type: ignore[attr-defined]
    flagkit.create_flag(client, "ours", project="team-x")
    flagkit.create_flag(client, "theirs")
    member_id, member = _user(client, "tag-member", VIEWER)
    granted = client.post(
        f"/api/admin/projects/team-x/role/{MEMBER}/access",
        headers=ADMIN,
        json={"users": [{"id": member_id}], "groups": []},
    )
    assert granted.status_code == 200, granted.text
    tag = {"type": "simple", "value": "mine"}
    assert client.post("/api/admin/features/ours/tags", headers=member, json=tag).status_code == 201
    # The permission is the flag's stored project's, whatever project a path could name.
    _permission_error(
        client.post("/api/admin/features/theirs/tags", headers=member, json=tag), "UPDATE_FEATURE"
    )
    bulk = {"features": ["theirs"], "tags": {"addedTags": [tag], "removedTags": []}}
    refused = client.put("/api/admin/projects/team-x/tags", headers=member, json=bulk)
    assert refused.status_code == 400
    assert refused.json()["details"] == [
        {"message": "Tried to change tags of feature not belonging to project"}
    ]
    _permission_error(
        client.put("/api/admin/projects/default/tags", headers=member, json=bulk), "UPDATE_FEATURE"
    )
    # A tag removed everywhere at once needs a permission not bound to one project.
    _permission_error(
        client.delete("/api/admin/tags/simple/mine", headers=member), "UPDATE_FEATURE"
    )
    assert _flag_tags(client, "theirs") == []
    assert _flag_tags(client, "ours") == [{"type": "simple", "value": "mine", "color": "#FFFFFF"}]


def test_no_credentials__401(client: TestClient) -> None:
    answer = client.get(TYPES)
    assert answer.status_code == 401
    assert answer.json()["name"] == "AuthenticationRequired"


# -- where Unleash fails with a 500 -----------------------------------------------------------


def test_create_tag__unknown_type__400_nothing_stored(client: TestClient) -> None:
    # Unleash 8.2: a 500 (the foreign key violation); leash words it as its addTag does.
    before = _event_types(client)
    answer = client.post("/api/admin/tags", headers=ADMIN, json={"type": "nope", "value": "v1"})
    assert answer.status_code == 400
    assert answer.json() == {
        "name": "BadDataError",
        "message": "Request validation failed: your request body or params contain invalid "
        "data: Tag type 'nope' does not exist",
        "details": [{"message": "Tag type 'nope' does not exist"}],
    }
    assert client.get("/api/admin/tags", headers=ADMIN).json() == {"version": 1, "tags": []}
    assert _event_types(client) == before


def test_update_tag_type__empty_body__200_nothing_changed(client: TestClient) -> None:
    # Unleash 8.2: a 500 ("Empty .update() call detected!").
    before = _event_types(client)
    assert client.put(f"{TYPES}/simple", headers=ADMIN, json={}).status_code == 200
    assert client.get(f"{TYPES}/simple", headers=ADMIN).json()["tagType"]["icon"] == "#"
    assert _event_types(client) == before


def test_add_tag_to_features__a_flag_missing__404_nothing_changed(client: TestClient) -> None:
    # Unleash 8.2: a 500 (foreign key violation) after it made the tag.
    flagkit.create_flag(client, "present")
    before = _event_types(client)
    bulk = {
        "features": ["present", "absent"],
        "tags": {"addedTags": [{"type": "simple", "value": "new-one"}], "removedTags": []},
    }
    answer = client.put("/api/admin/projects/default/tags", headers=ADMIN, json=bulk)
    assert answer.status_code == 404
    assert answer.json()["message"] == "No feature flag found"
    assert _flag_tags(client, "present") == []
    assert client.get("/api/admin/tags/simple", headers=ADMIN).json()["tags"] == []
    assert _event_types(client) == before


def test_update_tags__one_added_tag_refused__none_added(client: TestClient) -> None:
    # Unleash adds each tag on its own, so the valid ones stay; leash writes all or none.
    flagkit.create_flag(client, "atomic")
    flagkit.tag_flag(client, "atomic", "simple", "before")
    body = {
        "addedTags": [{"type": "simple", "value": "good"}, {"type": "nope", "value": "bad"}],
        "removedTags": [{"type": "simple", "value": "before"}],
    }
    answer = client.put("/api/admin/features/atomic/tags", headers=ADMIN, json=body)
    assert answer.status_code == 400
    assert answer.json()["details"] == [{"message": "Tag type 'nope' does not exist"}]
    assert _flag_tags(client, "atomic") == [
        {"type": "simple", "value": "before", "color": "#FFFFFF"}
    ]


def test_create_tag__value_beyond_latin_1__201_location_percent_encoded(
    client: TestClient,
) -> None:
    answer = client.post("/api/admin/tags", headers=ADMIN, json={"type": "simple", "value": "é✓"})
    assert answer.status_code == 201
    assert answer.headers["location"] == "tags/simple/%C3%A9%E2%9C%93"
    assert answer.json() == {"version": 1, "tag": {"type": "simple", "value": "é✓"}}
    found = client.get("/api/admin/tags/simple/%C3%A9%E2%9C%93", headers=ADMIN)
    assert found.json() == {"version": 1, "tag": {"type": "simple", "value": "é✓"}}


def test_create_tag__value_trimmed_as_javascript_trims(client: TestClient) -> None:
    padded = {"type": "simple", "value": "\u00a0\ufeffab\u3000"}
    answer = client.post("/api/admin/tags", headers=ADMIN, json=padded)
    assert answer.status_code == 201
    assert answer.json()["tag"] == {"type": "simple", "value": "ab"}


# -- what SDKs see ----------------------------------------------------------------------------


def test_client_features_tag_filter__tags_changed_through_the_api__served_at_once(
    client: TestClient,
) -> None:
    for name in ("sdk-a", "sdk-b", "sdk-c"):
        flagkit.create_flag(client, name)
    client.post(TYPES, headers=ADMIN, json={"name": "team"})
    assert _served(client, "simple:xx") == []  # served once, so later answers are rebuilt ones
    flagkit.tag_flag(client, "sdk-a", "simple", "xx")
    bulk = {
        "features": ["sdk-b", "sdk-c"],
        "tags": {"addedTags": [{"type": "simple", "value": "xx"}], "removedTags": []},
    }
    assert (
        client.put("/api/admin/projects/default/tags", headers=ADMIN, json=bulk).status_code == 200
    )
    assert _served(client, "simple:xx") == ["sdk-a", "sdk-b", "sdk-c"]
    answer = client.get(FEATURES, params={"tag": "simple:xx"}, headers=SDK)
    assert answer.json()["query"]["tag"] == [["simple", "xx"]]

    assert (
        client.delete("/api/admin/features/sdk-b/tags/simple/xx", headers=ADMIN).status_code == 200
    )
    assert _served(client, "simple:xx") == ["sdk-a", "sdk-c"]
    swapped = {
        "addedTags": [{"type": "team", "value": "core"}],
        "removedTags": [{"type": "simple", "value": "xx"}],
    }
    assert (
        client.put("/api/admin/features/sdk-c/tags", headers=ADMIN, json=swapped).status_code == 200
    )
    assert _served(client, "simple:xx") == ["sdk-a"]
    assert _served(client, "team:core") == ["sdk-c"]
    # Deleting a tag, or a tag type, untags its flags.
    assert client.delete("/api/admin/tags/simple/xx", headers=ADMIN).status_code == 200
    assert _served(client, "simple:xx") == []
    assert client.delete(f"{TYPES}/team", headers=ADMIN).status_code == 200
    assert _served(client, "team:core") == []
    assert _flag_tags(client, "sdk-c") == []


# -- the migration ----------------------------------------------------------------------------


def test_migration__flags_tagged_before_tag_tables__keep_their_tags(database_url: str) -> None:
    config = alembic_config(database_url)
    command.downgrade(config, "0007")
    engine = create_db_engine(database_url, pool_size=1)
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(features).values(name="old", project="default", created_at=utcnow())
            )
            conn.execute(
                insert(feature_tags),
                [
                    {"feature_name": "old", "tag_type": t, "tag_value": v, "created_at": utcnow()}
                    for t, v in (("simple", "a"), ("team", "b"), ("team", "c"))
                ],
            )
        command.upgrade(config, "head")
        with engine.connect() as conn:
            types = conn.execute(select(tag_types.c.name).order_by(tag_types.c.name)).all()
            made = conn.execute(select(tags.c.type, tags.c.value).order_by(tags.c.value)).all()
            kept = conn.execute(select(feature_tags.c.tag_value)).all()
    finally:
        engine.dispose()
    assert [row.name for row in types] == ["simple", "team"]
    assert [tuple(row) for row in made] == [("simple", "a"), ("team", "b"), ("team", "c")]
    assert sorted(row.tag_value for row in kept) == ["a", "b", "c"]
