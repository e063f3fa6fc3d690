"""Flags: create, list, get, PUT, PATCH, archive, validate, environments on/off and their events.

Expected bodies were recorded from the reference Unleash (7.5.1)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from support import ADMIN, BAD_DATA_LIST, BAD_DATA_ONE, CLIENT, without

FEAT = "/api/admin/projects/default/features"
ADMIN_USER = {
    "id": -42,
    "name": "Unleash Admin Token User",
    "imageUrl": "https://gravatar.com/avatar/"
    "3dc16570162d3b0b99d893698516645520622ab41162256213fb7b04eb969d84?s=42&d=retro&r=g",
}


def create_flag(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(FEAT, headers=ADMIN, json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def feature_events(client: TestClient) -> list[dict[str, Any]]:
    """Flag events, oldest first, without volatile fields."""
    body = client.get("/api/admin/events", headers=ADMIN).json()
    found = [e for e in body["events"] if e["featureName"] is not None]
    # Every flag event carries its transaction's group (a 26-character ULID).
    assert all((e["groupType"], len(e["groupId"])) == ("transaction", 26) for e in found)
    volatile = ("id", "createdAt", "createdBy", "createdByUserId", "tags", "groupId", "groupType")
    return list(reversed(without(found, *volatile)))


def flag(name: str, **overrides: Any) -> dict[str, Any]:
    body = {
        "name": name,
        "description": None,
        "type": "release",
        "project": "default",
        "stale": False,
        "impressionData": False,
        "archived": False,
    }
    body.update(overrides)
    return body


def test_create_flag__all_fields__201_and_feature_created_event(client: TestClient) -> None:
    body = {
        "name": "flag-a",
        "description": "First flag",
        "type": "release",
        "impressionData": True,
    }
    response = client.post(FEAT, headers=ADMIN, json=body)
    assert response.status_code == 201
    assert "location" not in response.headers
    created = response.json()
    assert created.pop("createdAt").endswith("Z")
    assert created == flag("flag-a", description="First flag", impressionData=True)
    assert feature_events(client) == [
        {
            "type": "feature-created",
            "data": flag("flag-a", description="First flag", impressionData=True),
            "preData": None,
            "featureName": "flag-a",
            "project": "default",
            "environment": None,
        }
    ]


def test_create_flag__defaults_and_empty_description_is_null(client: TestClient) -> None:
    created = create_flag(client, {"name": "flag-b", "description": ""})
    assert without(created, "createdAt") == flag("flag-b")


def test_create_flag__environments_created_disabled(client: TestClient) -> None:
    create_flag(client, {"name": "flag-a"})
    got = client.get(f"{FEAT}/flag-a", headers=ADMIN).json()
    assert [(e["name"], e["enabled"], e["strategies"]) for e in got["environments"]] == [
        ("development", False, []),
        ("production", False, []),
    ]


def test_create_flag__duplicate_name__409(client: TestClient) -> None:
    create_flag(client, {"name": "flag-a"})
    response = client.post(FEAT, headers=ADMIN, json={"name": "flag-a"})
    assert response.status_code == 409
    message = "A flag with that name already exists"
    assert response.json() == {
        "name": "NameExistsError",
        "message": message,
        "details": [{"message": message}],
    }


def test_create_flag__name_of_archived_flag__409(client: TestClient) -> None:
    create_flag(client, {"name": "flag-a"})
    assert client.delete(f"{FEAT}/flag-a", headers=ADMIN).status_code == 202
    response = client.post(FEAT, headers=ADMIN, json={"name": "flag-a"})
    assert response.status_code == 409
    assert response.json()["message"] == "An archived flag with that name already exists"


def test_create_flag__not_url_friendly__400(client: TestClient) -> None:
    response = client.post(FEAT, headers=ADMIN, json={"name": "bad name!"})
    assert response.status_code == 400
    assert response.json() == {
        "name": "BadDataError",
        "message": BAD_DATA_LIST,
        "details": [{"message": '"name" must be URL friendly. You provided "bad name!".'}],
    }


def test_create_flag__name_rules(client: TestClient) -> None:
    cases = {
        "": '"name" is not allowed to be empty.',
        "..": '"name" must be URL friendly. You provided "..".',
        "y" * 101: '"name" length must be less than or equal to 100 characters long. '
        f'You provided "{"y" * 101}".',
        # URL-friendliness is checked first and alone.
        "y " * 51: f'"name" must be URL friendly. You provided "{"y " * 51}".',
    }
    for name, message in cases.items():
        response = client.post(FEAT, headers=ADMIN, json={"name": name})
        assert response.status_code == 400, name
        assert response.json()["details"] == [{"message": message}]
    assert client.post(FEAT, headers=ADMIN, json={"name": "ok-~!*'()_.x"}).status_code == 201


def test_create_flag__missing_name__400_with_id(client: TestClient) -> None:
    response = client.post(FEAT, headers=ADMIN, json={"description": "no name"})
    assert response.status_code == 400
    body = response.json()
    assert isinstance(body.pop("id"), str)
    assert body == {
        "name": "BadDataError",
        "message": BAD_DATA_LIST,
        "details": [
            {
                "path": "/body/name",
                "message": "The `/body/name` property is required. "
                "It was not present on the data you sent.",
            }
        ],
    }


def test_create_flag__unknown_type__400(client: TestClient) -> None:
    response = client.post(FEAT, headers=ADMIN, json={"name": "x", "type": "bogus"})
    assert response.status_code == 400
    assert response.json()["details"] == [
        {
            "message": "The `type` property must be equal to one of the allowed values: "
            '"experiment", "kill-switch", "release", "operational", "permission", "sunset". '
            'You provided "bogus", which is not valid. Please use one of the allowed values '
            "instead..",
            "path": "type",
        }
    ]


def test_create_flag__unknown_project__404(client: TestClient) -> None:
    response = client.post("/api/admin/projects/nope/features", headers=ADMIN, json={"name": "x"})
    assert response.status_code == 404
    message = "Active project with id nope does not exist"
    assert response.json() == {
        "name": "NotFoundError",
        "message": message,
        "details": [{"message": message}],
    }


def test_create_flag__no_content_type__415(client: TestClient) -> None:
    response = client.post(FEAT, headers=ADMIN, content=b'{"name":"x"}')
    assert response.status_code == 415
    assert response.json()["name"] == "ContentTypeError"


def test_create_flag__client_token__403(client: TestClient) -> None:
    response = client.post(FEAT, headers=CLIENT, json={"name": "x"})
    assert response.status_code == 403
    assert response.json() == {
        "message": "invalid token: expected a different token type for this endpoint"
    }


def test_list_flags__environments_summary(client: TestClient) -> None:
    create_flag(client, {"name": "flag-a", "description": "First flag", "impressionData": True})
    create_flag(client, {"name": "flag-b", "type": "experiment"})
    assert (
        client.post(f"{FEAT}/flag-a/environments/development/on", headers=ADMIN).status_code == 200
    )
    body = client.get(FEAT, headers=ADMIN).json()

    def env(name: str, sort: int, on: bool = False) -> dict[str, Any]:
        return {
            "name": name,
            "enabled": on,
            "type": name,
            "sortOrder": sort,
            "variantCount": 0,
            "lastSeenAt": None,
            "hasStrategies": on,
            "hasEnabledStrategies": on,
        }

    assert without(body, "createdAt") == {
        "version": 2,
        "features": [
            {
                "type": "release",
                "description": "First flag",
                "favorite": False,
                "name": "flag-a",
                "stale": False,
                "impressionData": True,
                "environments": [env("development", 2, True), env("production", 3)],
            },
            {
                "type": "experiment",
                "description": None,
                "favorite": False,
                "name": "flag-b",
                "stale": False,
                "impressionData": False,
                "environments": [env("development", 2), env("production", 3)],
            },
        ],
    }


def test_list_flags__archived_left_out_and_unknown_project_empty(client: TestClient) -> None:
    create_flag(client, {"name": "flag-a"})
    client.delete(f"{FEAT}/flag-a", headers=ADMIN)
    assert client.get(FEAT, headers=ADMIN).json() == {"version": 2, "features": []}
    response = client.get("/api/admin/projects/nope/features", headers=ADMIN)
    assert response.json() == {"version": 2, "features": []}


def test_get_flag__full_shape(client: TestClient) -> None:
    create_flag(client, {"name": "flag-a", "description": "First flag", "impressionData": True})
    got = client.get(f"{FEAT}/flag-a", headers=ADMIN).json()
    assert got.pop("createdAt").endswith("Z")
    assert got.pop("lifecycle")["stage"] == "initial"
    assert got == {
        "environments": [
            {
                "name": "development",
                "lastSeenAt": None,
                "enabled": False,
                "yes": 0,
                "no": 0,
                "type": "development",
                "sortOrder": 2,
                "strategies": [],
            },
            {
                "name": "production",
                "lastSeenAt": None,
                "enabled": False,
                "yes": 0,
                "no": 0,
                "type": "production",
                "sortOrder": 3,
                "strategies": [],
            },
        ],
        "name": "flag-a",
        "impressionData": True,
        "description": "First flag",
        "project": "default",
        "stale": False,
        "createdBy": ADMIN_USER,
        "type": "release",
        "archived": False,
        "dependencies": [],
        "children": [],
        "links": [],
        "collaborators": {"users": [ADMIN_USER]},
    }


def test_get_flag__unknown__404(client: TestClient) -> None:
    response = client.get(f"{FEAT}/nope", headers=ADMIN)
    assert response.status_code == 404
    message = 'There\'s no feature named "nope" in project "default".'
    assert response.json() == {
        "name": "NotFoundError",
        "message": message,
        "details": [{"message": message}],
    }


def test_get_flag__archived__404(client: TestClient) -> None:
    create_flag(client, {"name": "flag-c"})
    client.delete(f"{FEAT}/flag-c", headers=ADMIN)
    response = client.get(f"{FEAT}/flag-c", headers=ADMIN)
    assert response.status_code == 404
    assert response.json()["message"] == "Could not find feature flag with name flag-c"


def test_put_flag__replaces_metadata_with_defaults(client: TestClient) -> None:
    create_flag(client, {"name": "flag-b", "type": "experiment", "impressionData": True})
    response = client.put(f"{FEAT}/flag-b", headers=ADMIN, json={"description": "z"})
    assert response.status_code == 200
    # Unleash's Joi defaults reset what the body leaves out.
    assert without(response.json(), "createdAt") == flag("flag-b", description="z")
    events = feature_events(client)
    assert events[-1]["type"] == "feature-metadata-updated"
    assert without(events[-1]["preData"], "createdAt") == flag(
        "flag-b", type="experiment", impressionData=True
    )
    assert without(events[-1]["data"], "createdAt") == flag("flag-b", description="z")


def test_put_flag__same_values__no_event(client: TestClient) -> None:
    create_flag(client, {"name": "flag-b"})
    response = client.put(f"{FEAT}/flag-b", headers=ADMIN, json={"type": "release"})
    assert response.status_code == 200
    assert [e["type"] for e in feature_events(client)] == ["feature-created"]


def test_put_flag__other_name__400(client: TestClient) -> None:
    create_flag(client, {"name": "flag-b"})
    response = client.put(f"{FEAT}/flag-b", headers=ADMIN, json={"name": "other"})
    assert response.status_code == 400
    assert response.json() == {
        "name": "BadDataError",
        "message": BAD_DATA_ONE + "Cannot change name of feature flag",
        "details": [{"message": "Cannot change name of feature flag"}],
    }


def test_put_flag__unknown__404(client: TestClient) -> None:
    response = client.put(f"{FEAT}/nope", headers=ADMIN, json={"description": "z"})
    assert response.status_code == 404
    assert response.json()["message"] == 'There\'s no feature named "nope" in project "default".'


def test_patch_flag__replace_description(client: TestClient) -> None:
    create_flag(client, {"name": "flag-b", "type": "kill-switch"})
    ops = [{"op": "replace", "path": "/description", "value": "patched"}]
    response = client.patch(f"{FEAT}/flag-b", headers=ADMIN, json=ops)
    assert response.status_code == 200
    assert without(response.json(), "createdAt") == flag(
        "flag-b", description="patched", type="kill-switch"
    )


def test_patch_flag__stale__metadata_then_stale_events(client: TestClient) -> None:
    create_flag(client, {"name": "flag-a"})
    for stale in (True, False):
        ops = [{"op": "replace", "path": "/stale", "value": stale}]
        assert client.patch(f"{FEAT}/flag-a", headers=ADMIN, json=ops).status_code == 200
    assert [e["type"] for e in feature_events(client)] == [
        "feature-created",
        "feature-metadata-updated",
        "feature-stale-on",
        "feature-metadata-updated",
        "feature-stale-off",
    ]
    stale_on = feature_events(client)[2]
    assert stale_on["data"] is None and stale_on["preData"] is None


def test_patch_flag__name_and_project_ignored__no_event(client: TestClient) -> None:
    create_flag(client, {"name": "flag-a"})
    ops = [
        {"op": "replace", "path": "/name", "value": "zzz"},
        {"op": "replace", "path": "/project", "value": "zzz"},
    ]
    response = client.patch(f"{FEAT}/flag-a", headers=ADMIN, json=ops)
    assert response.status_code == 200
    assert without(response.json(), "createdAt") == flag("flag-a")
    assert [e["type"] for e in feature_events(client)] == ["feature-created"]


def test_patch_flag__wrong_value_type__400(client: TestClient) -> None:
    create_flag(client, {"name": "flag-a"})
    ops: list[dict[str, Any]] = [{"op": "replace", "path": "/stale", "value": "yes"}]
    response = client.patch(f"{FEAT}/flag-a", headers=ADMIN, json=ops)
    assert response.status_code == 400
    assert response.json() == {
        "name": "BadDataError",
        "message": BAD_DATA_LIST,
        "details": [{"message": '"stale" must be a boolean. You provided "yes".'}],
    }
    ops = [{"op": "replace", "path": "/type", "value": 5}]
    response = client.patch(f"{FEAT}/flag-a", headers=ADMIN, json=ops)
    assert response.json()["details"] == [{"message": '"type" must be a string. You provided 5.'}]


def test_patch_flag__variants__403(client: TestClient) -> None:
    create_flag(client, {"name": "flag-a"})
    ops = [{"op": "replace", "path": "/variants", "value": []}]
    response = client.patch(f"{FEAT}/flag-a", headers=ADMIN, json=ops)
    assert response.status_code == 403
    message = (
        "Changing variants is done via PATCH operation to "
        "/api/admin/projects/:project/features/:feature/variants"
    )
    assert response.json() == {
        "name": "OperationDeniedError",
        "message": message,
        "details": [{"message": message}],
    }


def test_patch_flag__not_an_array__400(client: TestClient) -> None:
    create_flag(client, {"name": "flag-a"})
    op = {"op": "add", "path": "/description", "value": "x"}
    response = client.patch(f"{FEAT}/flag-a", headers=ADMIN, json=op)
    assert response.status_code == 400
    assert response.json()["details"] == [
        {
            "message": 'The `/body` property must be array. You sent {"op":"add","path":'
            '"/description","value":"x"}.',
            "path": "/body",
        }
    ]


def test_patch_flag__unknown_op__400(client: TestClient) -> None:
    create_flag(client, {"name": "flag-a"})
    ops = [{"op": "bogus", "path": "/description"}]
    response = client.patch(f"{FEAT}/flag-a", headers=ADMIN, json=ops)
    assert response.status_code == 400
    assert response.json()["details"][0]["path"] == "op"


def test_patch_flag__failed_test_op__500(client: TestClient) -> None:
    create_flag(client, {"name": "flag-a"})
    ops = [{"op": "test", "path": "/type", "value": "zzz"}]
    response = client.patch(f"{FEAT}/flag-a", headers=ADMIN, json=ops)
    assert response.status_code == 500
    body = response.json()
    assert body["name"] == "UnknownError"
    assert body["message"].startswith(
        "Test operation failed\nname: TEST_OPERATION_FAILED\nindex: 0"
    )


def test_patch_flag__unknown__404(client: TestClient) -> None:
    ops = [{"op": "replace", "path": "/description", "value": "x"}]
    response = client.patch(f"{FEAT}/nope", headers=ADMIN, json=ops)
    assert response.status_code == 404
    assert response.json()["message"] == "No feature flag found"


def test_archive_flag__202_empty_and_event(client: TestClient) -> None:
    create_flag(client, {"name": "flag-c"})
    response = client.delete(f"{FEAT}/flag-c", headers=ADMIN)
    assert response.status_code == 202
    assert response.content == b""
    assert feature_events(client)[-1] == {
        "type": "feature-archived",
        "data": None,
        "preData": None,
        "featureName": "flag-c",
        "project": "default",
        "environment": None,
    }


def test_archive_flag__unknown__404(client: TestClient) -> None:
    response = client.delete(f"{FEAT}/nope", headers=ADMIN)
    assert response.status_code == 404
    assert response.json()["message"] == "No feature flag found"


def test_validate_name__free_200_taken_409_bad_400(client: TestClient) -> None:
    path = "/api/admin/features/validate"
    create_flag(client, {"name": "flag-a"})
    free = client.post(path, headers=ADMIN, json={"name": "brand-new"})
    assert (free.status_code, free.content) == (200, b"")
    assert client.post(path, headers=ADMIN, json={"name": "flag-a"}).status_code == 409
    bad = client.post(path, headers=ADMIN, json={"name": "bad name"})
    assert bad.status_code == 400
    assert bad.json()["details"] == [
        {"message": '"name" must be URL friendly. You provided "bad name".'}
    ]
    missing = client.post(path, headers=ADMIN, json={})
    assert missing.status_code == 400
    assert missing.json()["details"][0]["path"] == "/body/name"


def test_enable_flag__no_strategies__adds_default_rollout_then_enables(client: TestClient) -> None:
    create_flag(client, {"name": "flag-a"})
    response = client.post(f"{FEAT}/flag-a/environments/development/on", headers=ADMIN)
    assert (response.status_code, response.content) == (200, b"")
    env = client.get(f"{FEAT}/flag-a", headers=ADMIN).json()["environments"][0]
    assert env["enabled"] is True
    assert without(env["strategies"], "id") == [
        {
            "name": "flexibleRollout",
            "constraints": [],
            "variants": [],
            "parameters": {"groupId": "flag-a", "rollout": "100", "stickiness": "default"},
            "segments": [],
            "sortOrder": 0,
            "title": None,
            "disabled": False,
        }
    ]
    events = feature_events(client)
    assert [e["type"] for e in events] == [
        "feature-created",
        "feature-strategy-add",
        "feature-environment-enabled",
    ]
    assert events[-1] == {
        "type": "feature-environment-enabled",
        "data": None,
        "preData": None,
        "featureName": "flag-a",
        "project": "default",
        "environment": "development",
    }


def test_enable_flag__no_strategies__strategy_and_enable_events_share_one_group(
    client: TestClient,
) -> None:
    create_flag(client, {"name": "flag-a"})
    client.post(f"{FEAT}/flag-a/environments/development/on", headers=ADMIN)
    newest_first = client.get("/api/admin/events", headers=ADMIN).json()["events"]
    enabled, added, created = newest_first[:3]
    assert (enabled["type"], added["type"], created["type"]) == (
        "feature-environment-enabled",
        "feature-strategy-add",
        "feature-created",
    )
    assert enabled["groupId"] == added["groupId"] != created["groupId"]
    assert "groupId" not in newest_first[-1]  # the seeded strategy-created events have none


def test_enable_flag__already_enabled__no_event(client: TestClient) -> None:
    create_flag(client, {"name": "flag-a"})
    client.post(f"{FEAT}/flag-a/environments/development/on", headers=ADMIN)
    client.post(f"{FEAT}/flag-a/environments/development/on", headers=ADMIN)
    client.post(f"{FEAT}/flag-a/environments/production/off", headers=ADMIN)
    assert [e["type"] for e in feature_events(client)] == [
        "feature-created",
        "feature-strategy-add",
        "feature-environment-enabled",
    ]


def test_disable_flag__event(client: TestClient) -> None:
    create_flag(client, {"name": "flag-a"})
    client.post(f"{FEAT}/flag-a/environments/development/on", headers=ADMIN)
    response = client.post(f"{FEAT}/flag-a/environments/development/off", headers=ADMIN)
    assert (response.status_code, response.content) == (200, b"")
    assert feature_events(client)[-1]["type"] == "feature-environment-disabled"
    env = client.get(f"{FEAT}/flag-a", headers=ADMIN).json()["environments"][0]
    assert env["enabled"] is False


def test_enable_flag__unknown_environment__404(client: TestClient) -> None:
    create_flag(client, {"name": "flag-b"})
    response = client.post(f"{FEAT}/flag-b/environments/nowhere/on", headers=ADMIN)
    assert response.status_code == 404
    assert response.json()["message"] == "Could not find environment nowhere for feature: flag-b"


def test_enable_flag__unknown_flag__404(client: TestClient) -> None:
    response = client.post(f"{FEAT}/nope/environments/development/on", headers=ADMIN)
    assert response.status_code == 404
    assert response.json()["message"] == 'There\'s no feature named "nope" in project "default".'


def test_enable_flag__client_sees_flag_on(client: TestClient) -> None:
    create_flag(client, {"name": "flag-a"})
    client.post(f"{FEAT}/flag-a/environments/development/on", headers=ADMIN)
    served = client.get("/api/client/features", headers=CLIENT).json()["features"]
    assert [(f["name"], f["enabled"]) for f in served] == [("flag-a", True)]
