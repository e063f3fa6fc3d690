"""Strategies on flags, their segments, and what the segments API then reports.

Expected bodies were recorded from the reference Unleash (7.5.1)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from support import ADMIN, BAD_DATA_LIST, BAD_DATA_ONE, add_project, without

FEAT = "/api/admin/projects/default/features"
SEG = "/api/admin/segments"
IN_WEB = {"contextName": "appName", "operator": "IN", "values": ["web"]}


def strategies(flag: str, env: str = "development", project: str = "default") -> str:
    return f"/api/admin/projects/{project}/features/{flag}/environments/{env}/strategies"


def make_flag(client: TestClient, name: str, project: str = "default") -> None:
    path = f"/api/admin/projects/{project}/features"
    assert client.post(path, headers=ADMIN, json={"name": name}).status_code == 201


def make_segment(client: TestClient, name: str, **extra: Any) -> int:
    response = client.post(SEG, headers=ADMIN, json={"name": name, "constraints": [], **extra})
    assert response.status_code == 201, response.text
    segment_id: int = response.json()["id"]
    return segment_id


def add(
    client: TestClient, flag: str, body: dict[str, Any], env: str = "development"
) -> dict[str, Any]:
    response = client.post(strategies(flag, env), headers=ADMIN, json=body)
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()
    return created


def strategy_events(client: TestClient) -> list[dict[str, Any]]:
    body = client.get("/api/admin/events", headers=ADMIN).json()
    volatile = ("id", "createdAt", "createdBy", "createdByUserId", "tags")
    found = [
        {k: v for k, v in e.items() if k not in volatile}
        for e in body["events"]
        if e["type"].startswith("feature-strategy")
    ]
    # Every flag event carries its transaction's group: a 26-character ULID.
    assert all((e.pop("groupType"), len(e.pop("groupId"))) == ("transaction", 26) for e in found)
    return list(reversed(found))


def test_create_strategy__full_body__200_with_segments(client: TestClient) -> None:
    make_flag(client, "flag-a")
    beta, numbers = make_segment(client, "beta"), make_segment(client, "numbers")
    variant = {
        "name": "blue",
        "weight": 1000,
        "weightType": "variable",
        "stickiness": "default",
        "payload": {"type": "string", "value": "b"},
    }
    response = client.post(
        strategies("flag-a"),
        headers=ADMIN,
        json={
            "name": "flexibleRollout",
            "title": "Half of beta",
            "parameters": {"rollout": "50", "stickiness": "userId", "groupId": "flag-a"},
            "constraints": [IN_WEB],
            "segments": [numbers, beta],
            "variants": [variant],
        },
    )
    assert response.status_code == 200
    assert "location" not in response.headers
    created = response.json()
    assert isinstance(created.pop("id"), str)
    assert created == {
        "name": "flexibleRollout",
        "constraints": [IN_WEB],
        "parameters": {"groupId": "flag-a", "rollout": "50", "stickiness": "userId"},
        "variants": [variant],
        "segments": [beta, numbers],
        "title": "Half of beta",
        "disabled": False,
        "sortOrder": 0,
    }


def test_create_strategy__parameters_stringified_and_rollout_defaults(client: TestClient) -> None:
    make_flag(client, "flag-b")
    created = add(
        client, "flag-b", {"name": "default", "parameters": {"a": 1, "b": True, "c": None}}
    )
    assert created["parameters"] == {"a": "1", "b": "true", "c": ""}
    rollout = add(client, "flag-b", {"name": "flexibleRollout", "parameters": {"rollout": 100}})
    assert rollout["parameters"] == {"groupId": "flag-b", "rollout": "100", "stickiness": "default"}
    assert rollout["sortOrder"] == 1


def test_create_strategy__object_parameter__400(client: TestClient) -> None:
    make_flag(client, "flag-b")
    response = client.post(
        strategies("flag-b"), headers=ADMIN, json={"name": "default", "parameters": {"a": {"x": 1}}}
    )
    assert response.status_code == 400
    assert response.json()["details"] == [
        {
            "message": 'The `/body/parameters/a` property must be string. You sent {"x":1}.',
            "path": "/body/parameters/a",
        }
    ]


def test_create_strategy__event_carries_segment_ids(client: TestClient) -> None:
    make_flag(client, "flag-c")
    seg = make_segment(client, "s")
    created = add(client, "flag-c", {"name": "default", "segments": [seg]}, env="production")
    assert strategy_events(client) == [
        {
            "type": "feature-strategy-add",
            "data": {
                "id": created["id"],
                "name": "default",
                "title": None,
                "disabled": False,
                "constraints": [],
                "parameters": {},
                "variants": [],
                "sortOrder": 0,
                "segments": [seg],
            },
            "preData": None,
            "featureName": "flag-c",
            "project": "default",
            "environment": "production",
        }
    ]


def test_create_strategy__unknown_strategy_type__400(client: TestClient) -> None:
    make_flag(client, "flag-c")
    response = client.post(strategies("flag-c"), headers=ADMIN, json={"name": "userWithId"})
    assert response.status_code == 400
    message = "Could not find strategy type with name userWithId"
    assert response.json() == {
        "name": "BadDataError",
        "message": BAD_DATA_ONE + message,
        "details": [{"message": message}],
    }


def test_create_strategy__unknown_segment__404(client: TestClient) -> None:
    make_flag(client, "flag-b")
    response = client.post(
        strategies("flag-b"), headers=ADMIN, json={"name": "default", "segments": [999999]}
    )
    assert response.status_code == 404
    message = 'No segment exists with ID "999999"'
    assert response.json() == {
        "name": "NotFoundError",
        "message": message,
        "details": [{"message": message}],
    }
    assert client.get(strategies("flag-b"), headers=ADMIN).json() == []


def test_create_strategy__segment_of_other_project__400(client: TestClient) -> None:
    add_project(client.app.state.db, "other")  # type: ignore[attr-defined]
    make_flag(client, "flag-b")
    theirs = make_segment(client, "theirs", project="other")
    mine = make_segment(client, "mine", project="default")
    response = client.post(
        strategies("flag-b"), headers=ADMIN, json={"name": "default", "segments": [mine, theirs]}
    )
    assert response.status_code == 400
    message = f'The segments theirs with id {theirs} does not belong to project "default"'
    assert response.json() == {
        "name": "BadDataError",
        "message": BAD_DATA_ONE + message,
        "details": [{"message": message}],
    }
    assert add(client, "flag-b", {"name": "default", "segments": [mine]})["segments"] == [mine]


def test_bulk_set_strategy_segments__segment_of_other_project__400_links_unchanged(
    client: TestClient,
) -> None:
    add_project(client.app.state.db, "other")  # type: ignore[attr-defined]
    make_flag(client, "flag-b")
    theirs = make_segment(client, "theirs", project="other")
    mine = make_segment(client, "mine", project="default")
    strategy = add(client, "flag-b", {"name": "default", "segments": [mine]})
    body = {
        "projectId": "default",
        "environmentId": "development",
        "strategyId": strategy["id"],
        "segmentIds": [mine, theirs],
    }
    response = client.post("/api/admin/segments/strategies", headers=ADMIN, json=body)
    assert response.status_code == 400
    message = f'The segments theirs with id {theirs} does not belong to project "default"'
    assert response.json() == {
        "name": "BadDataError",
        "message": BAD_DATA_ONE + message,
        "details": [{"message": message}],
    }
    stored = client.get(strategies("flag-b") + f"/{strategy['id']}", headers=ADMIN)
    assert stored.json()["segments"] == [mine]


def test_create_strategy__segment_of_own_project_elsewhere__200(client: TestClient) -> None:
    add_project(client.app.state.db, "other")  # type: ignore[attr-defined]
    make_flag(client, "flag-o", project="other")
    theirs = make_segment(client, "theirs", project="other")
    response = client.post(
        strategies("flag-o", project="other"),
        headers=ADMIN,
        json={"name": "default", "segments": [theirs]},
    )
    assert response.status_code == 200
    assert response.json()["segments"] == [theirs]


def test_create_strategy__six_segments__400_and_nothing_stored(client: TestClient) -> None:
    make_flag(client, "flag-b")
    ids = [make_segment(client, f"s{i}") for i in range(6)]
    response = client.post(
        strategies("flag-b"), headers=ADMIN, json={"name": "default", "segments": ids}
    )
    assert response.status_code == 400
    message = "Strategies may not have more than 5 segments"
    assert response.json() == {
        "name": "BadDataError",
        "message": BAD_DATA_ONE + message,
        "details": [{"message": message}],
    }
    assert client.get(strategies("flag-b"), headers=ADMIN).json() == []
    assert strategy_events(client) == []


def test_create_strategy__unknown_environment__400(client: TestClient) -> None:
    make_flag(client, "flag-b")
    response = client.post(strategies("flag-b", "nowhere"), headers=ADMIN, json={"name": "default"})
    assert response.status_code == 400
    message = "You have not added the current environment to the project"
    assert response.json() == {
        "name": "BadDataError",
        "message": BAD_DATA_ONE + message,
        "details": [{"message": message}],
    }


def test_create_strategy__unknown_flag__404(client: TestClient) -> None:
    response = client.post(strategies("nope"), headers=ADMIN, json={"name": "default"})
    assert response.status_code == 404
    assert response.json()["message"] == 'There\'s no feature named "nope" in project "default".'


def test_create_strategy__missing_name__400(client: TestClient) -> None:
    make_flag(client, "flag-b")
    response = client.post(strategies("flag-b"), headers=ADMIN, json={"title": "x"})
    assert response.status_code == 400
    assert response.json()["details"][0]["path"] == "/body/name"


def test_create_strategy__constraint_rules__400(client: TestClient) -> None:
    make_flag(client, "flag-b")
    long = "x" * 101
    cases = [
        (
            {"contextName": "userId", "operator": "IN", "values": [""]},
            '"values[0]" is not allowed to be empty.',
        ),
        (
            {"contextName": "", "operator": "IN", "values": ["a"]},
            '"contextName" is not allowed to be empty.',
        ),
        (
            {"contextName": "userId", "operator": "IN", "values": []},
            '"value" must contain at least 1 items. You provided [].',
        ),
        (
            {"contextName": "userId", "operator": "NUM_EQ", "value": "x"},
            '"value" must be a number. You provided "x".',
        ),
        (
            {"contextName": "userId", "operator": "IN", "values": [long]},
            '"values[0]" length must be less than or equal to 100 characters long. '
            f'You provided "{long}".',
        ),
    ]
    for constraint, message in cases:
        response = client.post(
            strategies("flag-b"),
            headers=ADMIN,
            json={"name": "default", "constraints": [constraint]},
        )
        assert response.status_code == 400, constraint
        assert response.json() == {
            "name": "BadDataError",
            "message": BAD_DATA_LIST,
            "details": [{"message": message}],
        }
    semver = client.post(
        strategies("flag-b"),
        headers=ADMIN,
        json={
            "name": "default",
            "constraints": [{"contextName": "v", "operator": "SEMVER_EQ", "value": "v1"}],
        },
    )
    assert semver.json()["message"] == (
        BAD_DATA_ONE + "the provided value is not a valid semver format. The value provided was: v1"
    )


def test_list_strategies__array_with_milestone_id(client: TestClient) -> None:
    make_flag(client, "flag-a")
    seg = make_segment(client, "s")
    first = add(client, "flag-a", {"name": "default", "segments": [seg]})
    second = add(client, "flag-a", {"name": "default", "disabled": True})
    assert client.get(strategies("flag-a"), headers=ADMIN).json() == [
        {
            "id": first["id"],
            "name": "default",
            "constraints": [],
            "parameters": {},
            "variants": [],
            "title": None,
            "disabled": False,
            "sortOrder": 0,
            "milestoneId": None,
            "segments": [seg],
        },
        {
            "id": second["id"],
            "name": "default",
            "constraints": [],
            "parameters": {},
            "variants": [],
            "title": None,
            "disabled": True,
            "sortOrder": 1,
            "milestoneId": None,
            "segments": [],
        },
    ]


def test_list_strategies__unknown_environment__404(client: TestClient) -> None:
    make_flag(client, "flag-a")
    response = client.get(strategies("flag-a", "nowhere"), headers=ADMIN)
    assert response.status_code == 404
    assert response.json()["message"] == "Feature flag-a does not have environment nowhere"


def test_get_strategy__unknown__404(client: TestClient) -> None:
    make_flag(client, "flag-a")
    unknown = "00000000-0000-0000-0000-000000000000"
    response = client.get(f"{strategies('flag-a')}/{unknown}", headers=ADMIN)
    assert response.status_code == 404
    assert response.json()["message"] == f"Could not find strategy with id: {unknown}"


def test_update_strategy__segments_replaced_then_kept(client: TestClient) -> None:
    make_flag(client, "flag-a")
    a, b, c = make_segment(client, "a"), make_segment(client, "b"), make_segment(client, "c")
    created = add(
        client,
        "flag-a",
        {
            "name": "flexibleRollout",
            "title": "Half",
            "parameters": {"rollout": "50"},
            "segments": [a, b],
        },
    )
    path = f"{strategies('flag-a')}/{created['id']}"
    body = {
        "name": "flexibleRollout",
        "title": "Beta only",
        "parameters": {"rollout": "75"},
        "segments": [a, c],
    }
    response = client.put(path, headers=ADMIN, json=body)
    assert response.status_code == 200
    expected = {
        "id": created["id"],
        "name": "flexibleRollout",
        "title": "Beta only",
        "disabled": False,
        "constraints": [],
        "parameters": {"groupId": "flag-a", "rollout": "75", "stickiness": "default"},
        "variants": [],
        "sortOrder": 0,
        "segments": [a, c],
    }
    assert response.json() == expected
    kept = client.put(
        path, headers=ADMIN, json={"name": "flexibleRollout", "parameters": {"rollout": "80"}}
    )
    assert kept.json() == {**expected, "parameters": {**expected["parameters"], "rollout": "80"}}
    events = strategy_events(client)
    assert [e["type"] for e in events] == [
        "feature-strategy-add",
        "feature-strategy-update",
        "feature-strategy-update",
    ]
    assert events[1]["preData"]["segments"] == [a, b]
    assert events[1]["data"]["segments"] == [a, c]


def test_update_strategy__without_name_resets_parameters_keeps_title(client: TestClient) -> None:
    make_flag(client, "flag-a")
    created = add(client, "flag-a", {"name": "flexibleRollout", "title": "T", "sortOrder": 7})
    path = f"{strategies('flag-a')}/{created['id']}"
    response = client.put(path, headers=ADMIN, json={"title": None, "sortOrder": 3})
    assert response.status_code == 200
    assert without(response.json(), "id") == {
        "name": "flexibleRollout",
        "title": "T",
        "disabled": False,
        "constraints": [],
        "parameters": {},
        "variants": [],
        "sortOrder": 7,
        "segments": [],
    }


def test_update_strategy__unchanged__no_event(client: TestClient) -> None:
    make_flag(client, "flag-a")
    created = add(client, "flag-a", {"name": "default"})
    response = client.put(
        f"{strategies('flag-a')}/{created['id']}", headers=ADMIN, json={"name": "default"}
    )
    assert response.status_code == 200
    assert [e["type"] for e in strategy_events(client)] == ["feature-strategy-add"]


def test_update_strategy__over_segment_limit__400_rolled_back(client: TestClient) -> None:
    make_flag(client, "flag-a")
    ids = [make_segment(client, f"s{i}") for i in range(6)]
    created = add(client, "flag-a", {"name": "default", "title": "before", "segments": ids[:1]})
    path = f"{strategies('flag-a')}/{created['id']}"
    response = client.put(
        path, headers=ADMIN, json={"name": "default", "title": "after", "segments": ids}
    )
    assert response.status_code == 400
    assert (
        response.json()["message"] == BAD_DATA_ONE + "Strategies may not have more than 5 segments"
    )
    got = client.get(path, headers=ADMIN).json()
    assert (got["title"], got["segments"]) == ("before", ids[:1])


def test_update_strategy__segment_of_other_project__400(client: TestClient) -> None:
    add_project(client.app.state.db, "other")  # type: ignore[attr-defined]
    make_flag(client, "flag-a")
    theirs = make_segment(client, "theirs", project="other")
    created = add(client, "flag-a", {"name": "default"})
    response = client.put(
        f"{strategies('flag-a')}/{created['id']}", headers=ADMIN, json={"segments": [theirs]}
    )
    assert response.status_code == 400
    assert response.json()["details"] == [
        {"message": f'The segments theirs with id {theirs} does not belong to project "default"'}
    ]


def test_update_strategy__unknown__404(client: TestClient) -> None:
    make_flag(client, "flag-a")
    unknown = "00000000-0000-0000-0000-000000000000"
    response = client.put(
        f"{strategies('flag-a')}/{unknown}", headers=ADMIN, json={"name": "default"}
    )
    assert response.status_code == 404
    assert response.json()["message"] == f"Could not find strategy with id={unknown}"


def test_update_strategy__other_flag_path__403(client: TestClient) -> None:
    make_flag(client, "flag-a")
    make_flag(client, "flag-b")
    created = add(client, "flag-a", {"name": "default"})
    response = client.put(
        f"{strategies('flag-b')}/{created['id']}", headers=ADMIN, json={"name": "default"}
    )
    assert response.status_code == 403
    message = "You can not change the featureName for an activation strategy."
    assert response.json() == {
        "name": "InvalidOperationError",
        "message": message,
        "details": [{"message": message}],
    }


def test_update_strategy__all_disabled__flag_environment_turned_off(client: TestClient) -> None:
    make_flag(client, "flag-a")
    client.post(f"{FEAT}/flag-a/environments/development/on", headers=ADMIN)
    strategy_id = client.get(strategies("flag-a"), headers=ADMIN).json()[0]["id"]
    client.put(f"{strategies('flag-a')}/{strategy_id}", headers=ADMIN, json={"disabled": True})
    env = client.get(f"{FEAT}/flag-a", headers=ADMIN).json()["environments"][0]
    assert env["enabled"] is False


def test_delete_strategy__200_empty_then_404(client: TestClient) -> None:
    make_flag(client, "flag-a")
    seg = make_segment(client, "s")
    created = add(client, "flag-a", {"name": "default", "disabled": True, "segments": [seg]})
    path = f"{strategies('flag-a')}/{created['id']}"
    response = client.delete(path, headers=ADMIN)
    assert (response.status_code, response.content) == (200, b"")
    assert response.headers["content-type"].startswith("application/json")
    assert strategy_events(client)[-1] == {
        "type": "feature-strategy-remove",
        "data": None,
        # Unleash leaves the segments out of the removed strategy.
        "preData": {
            "id": created["id"],
            "name": "default",
            "title": None,
            "disabled": True,
            "constraints": [],
            "parameters": {},
            "variants": [],
            "sortOrder": 0,
            "segments": [],
        },
        "featureName": "flag-a",
        "project": "default",
        "environment": "development",
    }
    again = client.delete(path, headers=ADMIN)
    assert again.status_code == 404
    assert again.json()["message"] == f"Could not find strategy with id={created['id']}"
    assert client.get(f"{SEG}/strategies/{created['id']}", headers=ADMIN).json() == {"segments": []}


def test_delete_strategy__last_one__environment_disabled(client: TestClient) -> None:
    make_flag(client, "flag-a")
    client.post(f"{FEAT}/flag-a/environments/development/on", headers=ADMIN)
    strategy_id = client.get(strategies("flag-a"), headers=ADMIN).json()[0]["id"]
    client.delete(f"{strategies('flag-a')}/{strategy_id}", headers=ADMIN)
    env = client.get(f"{FEAT}/flag-a", headers=ADMIN).json()["environments"][0]
    assert env["enabled"] is False


# --- what the segments API reports once strategies use segments ---


def test_segments_list__used_in_features_and_projects(client: TestClient) -> None:
    make_flag(client, "flag-a")
    make_flag(client, "flag-b")
    used, unused = make_segment(client, "used"), make_segment(client, "unused")
    add(client, "flag-a", {"name": "default", "segments": [used]})
    add(
        client,
        "flag-a",
        {"name": "default", "disabled": True, "segments": [used]},
        env="production",
    )
    add(client, "flag-b", {"name": "default", "segments": [used]})
    listed = {s["id"]: s for s in client.get(SEG, headers=ADMIN).json()["segments"]}
    assert (listed[used]["usedInFeatures"], listed[used]["usedInProjects"]) == (2, 1)
    assert (listed[unused]["usedInFeatures"], listed[unused]["usedInProjects"]) == (0, 0)


def test_segment_strategies__lists_linked_strategies(client: TestClient) -> None:
    make_flag(client, "flag-a")
    seg = make_segment(client, "s")
    created = add(client, "flag-a", {"name": "flexibleRollout", "segments": [seg]})
    assert client.get(f"{SEG}/{seg}/strategies", headers=ADMIN).json() == {
        "strategies": [
            {
                "id": created["id"],
                "projectId": "default",
                "featureName": "flag-a",
                "strategyName": "flexibleRollout",
                "environment": "development",
            }
        ],
        "changeRequestStrategies": [],
    }


def test_delete_segment__in_use_409_then_204_after_archive(client: TestClient) -> None:
    make_flag(client, "flag-c")
    seg = make_segment(client, "s")
    add(client, "flag-c", {"name": "default", "segments": [seg]}, env="production")
    in_use = client.delete(f"{SEG}/{seg}", headers=ADMIN)
    assert (in_use.status_code, in_use.content) == (409, b"")
    assert client.delete(f"{FEAT}/flag-c", headers=ADMIN).status_code == 202
    listed = client.get(SEG, headers=ADMIN).json()["segments"][0]
    assert (listed["usedInFeatures"], listed["usedInProjects"]) == (0, 0)
    assert client.get(f"{SEG}/{seg}/strategies", headers=ADMIN).json() == {
        "strategies": [],
        "changeRequestStrategies": [],
    }
    assert client.delete(f"{SEG}/{seg}", headers=ADMIN).status_code == 204


def test_bulk_set_strategy_segments__feature_api_sees_them(client: TestClient) -> None:
    make_flag(client, "flag-b")
    a, b = make_segment(client, "a"), make_segment(client, "b")
    created = add(client, "flag-b", {"name": "flexibleRollout", "parameters": {"rollout": "100"}})
    body = {
        "projectId": "default",
        "environmentId": "development",
        "strategyId": created["id"],
        "segmentIds": [b, a],
    }
    response = client.post(f"{SEG}/strategies", headers=ADMIN, json=body)
    assert response.status_code == 201
    assert response.headers["location"] == f"strategies/{created['id']}"
    got = client.get(f"{strategies('flag-b')}/{created['id']}", headers=ADMIN).json()
    assert got["segments"] == [a, b]
    linked = client.get(f"{SEG}/strategies/{created['id']}", headers=ADMIN).json()["segments"]
    assert sorted(s["id"] for s in linked) == [a, b]
    # Unleash 8.2 writes no event here; leash writes the strategy's update event.
    assert [e["type"] for e in strategy_events(client)] == [
        "feature-strategy-add",
        "feature-strategy-update",
    ]
    assert strategy_events(client)[-1]["data"]["segments"] == [a, b]
    # Setting the same segments again changes nothing and, as any no-op, writes no event.
    assert client.post(f"{SEG}/strategies", headers=ADMIN, json=body).status_code == 201
    assert len(strategy_events(client)) == 2


# --- a strategy is reached only through its own project, flag and environment ---
# Unleash 8.2 checks the project and flag of the path but not the environment: a DELETE through
# development of a production strategy succeeds there and leaves production on with no
# strategy (on for everyone). leash answers as if the strategy did not exist in that environment.


def _production_strategy(client: TestClient, flag: str) -> str:
    make_flag(client, flag)
    created = add(client, flag, {"name": "default"}, env="production")
    switched = client.post(f"{FEAT}/{flag}/environments/production/on", headers=ADMIN)
    assert switched.status_code == 200
    strategy_id: str = created["id"]
    return strategy_id


def _not_found(message: str) -> dict[str, Any]:
    return {"name": "NotFoundError", "message": message, "details": [{"message": message}]}


def _production(client: TestClient, flag: str) -> dict[str, Any]:
    environments = client.get(f"{FEAT}/{flag}", headers=ADMIN).json()["environments"]
    production: dict[str, Any] = next(e for e in environments if e["name"] == "production")
    return production


def test_delete_strategy__other_environment_path__404_and_untouched(client: TestClient) -> None:
    strategy_id = _production_strategy(client, "kill")
    response = client.delete(f"{strategies('kill')}/{strategy_id}", headers=ADMIN)
    assert response.status_code == 404
    assert response.json() == _not_found(f"Could not find strategy with id={strategy_id}")
    production = _production(client, "kill")
    assert (production["enabled"], [s["id"] for s in production["strategies"]]) == (
        True,
        [strategy_id],
    )
    assert [e["type"] for e in strategy_events(client)] == ["feature-strategy-add"]


def test_update_strategy__other_environment_path__404_and_untouched(client: TestClient) -> None:
    strategy_id = _production_strategy(client, "kill")
    response = client.put(
        f"{strategies('kill')}/{strategy_id}",
        headers=ADMIN,
        json={"name": "default", "disabled": True},
    )
    assert response.status_code == 404
    assert response.json() == _not_found(f"Could not find strategy with id={strategy_id}")
    production = _production(client, "kill")
    assert (production["enabled"], production["strategies"][0]["disabled"]) == (True, False)


def test_get_strategy__other_environment_path__404(client: TestClient) -> None:
    strategy_id = _production_strategy(client, "kill")
    response = client.get(f"{strategies('kill')}/{strategy_id}", headers=ADMIN)
    assert response.status_code == 404
    assert response.json() == _not_found(f"Could not find strategy with id: {strategy_id}")
    own = client.get(f"{strategies('kill', 'production')}/{strategy_id}", headers=ADMIN)
    assert (own.status_code, own.json()["id"]) == (200, strategy_id)


def test_get_strategy__other_flag_path__403_empty(client: TestClient) -> None:
    # As Unleash 8.2 answers a strategy asked for through another flag.
    make_flag(client, "other")
    strategy_id = _production_strategy(client, "kill")
    response = client.get(f"{strategies('other', 'production')}/{strategy_id}", headers=ADMIN)
    assert (response.status_code, response.content) == (403, b"")


def test_delete_strategy__other_flag_path__403_and_untouched(client: TestClient) -> None:
    make_flag(client, "other")
    strategy_id = _production_strategy(client, "kill")
    response = client.delete(f"{strategies('other', 'production')}/{strategy_id}", headers=ADMIN)
    assert response.status_code == 403
    assert response.json()["message"] == (
        "You can not change the featureName for an activation strategy."
    )
    assert [s["id"] for s in _production(client, "kill")["strategies"]] == [strategy_id]
