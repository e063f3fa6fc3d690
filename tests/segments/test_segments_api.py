"""The nine /api/admin/segments endpoints and their error paths, as Unleash answers them.

Expected bodies were recorded from the reference Unleash (7.5.1), except where Unleash 8.x
differs (SEMVER_GTE/LTE accepted, single-value operators need a value)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from support import ADMIN, BAD_DATA_LIST, BAD_DATA_ONE, CLIENT, FRONTEND

IN_AB = {"contextName": "userId", "operator": "IN", "values": ["a", "b"]}


def create(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/api/admin/segments", headers=ADMIN, json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def errors_without_id(response: Any) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    assert isinstance(body.pop("id", ""), str)
    return body


LIMIT_2 = "Failed to create segment. You can't create more than the established limit of 2."


def test_create_segment__valid__201_with_location(client: TestClient) -> None:
    body = {"name": "beta", "description": "d", "constraints": [IN_AB]}
    response = client.post("/api/admin/segments", headers=ADMIN, json=body)
    assert response.status_code == 201
    assert response.headers["location"] == "segments/1"
    created = response.json()
    assert created.pop("createdAt").endswith("Z")
    assert created == {
        "id": 1,
        "name": "beta",
        "description": "d",
        "constraints": [IN_AB],
        "createdBy": "admin",
    }


def test_create_segment__values_default_to_empty_list_and_types_coerced(
    client: TestClient,
) -> None:
    created = create(
        client,
        {
            "name": 5,
            "description": 7,
            "constraints": [
                {"contextName": "a", "operator": "NUM_EQ", "value": "5"},
                {"contextName": "b", "operator": "IN", "values": [1, True]},
            ],
        },
    )
    assert created["name"] == "5"
    assert created["description"] == "7"
    assert created["constraints"] == [
        {"contextName": "a", "operator": "NUM_EQ", "value": "5", "values": []},
        {"contextName": "b", "operator": "IN", "values": ["1", "true"]},
    ]


def test_create_segment__every_operator__201(client: TestClient) -> None:
    constraints: list[dict[str, Any]] = [
        {"contextName": "a", "operator": "IN", "values": ["x"]},
        {"contextName": "a", "operator": "NOT_IN", "values": ["x"]},
        {
            "contextName": "a",
            "operator": "STR_STARTS_WITH",
            "values": ["x"],
            "caseInsensitive": True,
        },
        {"contextName": "a", "operator": "STR_ENDS_WITH", "values": ["x"], "inverted": True},
        {"contextName": "a", "operator": "STR_CONTAINS", "values": ["x"]},
        {"contextName": "n", "operator": "NUM_EQ", "value": "1"},
        {"contextName": "n", "operator": "NUM_GT", "value": "1.5"},
        {"contextName": "n", "operator": "NUM_GTE", "value": "-2"},
        {"contextName": "n", "operator": "NUM_LT", "value": "1e3"},
        {"contextName": "n", "operator": "NUM_LTE", "value": "0"},
        {
            "contextName": "currentTime",
            "operator": "DATE_AFTER",
            "value": "2024-01-01T00:00:00.000Z",
        },
        {"contextName": "currentTime", "operator": "DATE_BEFORE", "value": "2030-01-01"},
        {"contextName": "v", "operator": "SEMVER_EQ", "value": "1.2.3"},
        {"contextName": "v", "operator": "SEMVER_GT", "value": "1.2.3-beta.1"},
        {"contextName": "v", "operator": "SEMVER_LT", "value": "2.0.0"},
        {"contextName": "v", "operator": "SEMVER_GTE", "value": "2.0.0-rc.1"},
        {"contextName": "v", "operator": "SEMVER_LTE", "value": "3.0.0"},
        {"contextName": "email", "operator": "REGEX", "value": "^[a-z]+@example\\.com$"},
    ]
    created = create(client, {"name": "all", "constraints": constraints})
    expected = [{**c, "values": c.get("values", [])} for c in constraints]
    assert created["constraints"] == expected
    assert client.get("/api/admin/segments/1", headers=ADMIN).json()["constraints"] == expected


def test_create_segment__project_set__project_in_body(client: TestClient) -> None:
    created = create(client, {"name": "p", "project": "default", "constraints": []})
    assert created["project"] == "default"
    listed = client.get("/api/admin/segments", headers=ADMIN).json()["segments"]
    assert listed[0]["project"] == "default"


def test_create_segment__empty_project__global_without_project_key(client: TestClient) -> None:
    created = create(client, {"name": "g", "project": "", "constraints": []})
    assert "project" not in created


def test_create_segment__unknown_project__404(client: TestClient) -> None:
    response = client.post(
        "/api/admin/segments",
        headers=ADMIN,
        json={"name": "x", "project": "nope", "constraints": []},
    )
    assert response.status_code == 404
    assert response.json()["message"] == 'Could not find project with id "nope"'
    assert client.get("/api/admin/segments", headers=ADMIN).json() == {"segments": []}


def test_create_segment__duplicate_name__409(client: TestClient) -> None:
    create(client, {"name": "beta", "constraints": []})
    response = client.post(
        "/api/admin/segments", headers=ADMIN, json={"name": "beta", "constraints": []}
    )
    assert response.status_code == 409
    assert response.json() == {
        "name": "NameExistsError",
        "message": "Segment name already exists",
        "details": [{"message": "Segment name already exists"}],
    }


def test_create_segment__name_differs_by_case__201(client: TestClient) -> None:
    create(client, {"name": "beta", "constraints": []})
    create(client, {"name": "Beta", "constraints": []})


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        pytest.param(
            {"constraints": []},
            {
                "path": "/body/name",
                "message": "The `/body/name` property is required. "
                "It was not present on the data you sent.",
            },
            id="missing name",
        ),
        pytest.param(
            {"name": "x"},
            {
                "path": "/body/constraints",
                "message": "The `/body/constraints` property is required. "
                "It was not present on the data you sent.",
            },
            id="missing constraints",
        ),
        pytest.param(
            {"name": "x", "constraints": "x"},
            {
                "path": "/body/constraints",
                "message": 'The `/body/constraints` property must be array. You sent "x".',
            },
            id="constraints not an array",
        ),
        pytest.param(
            {"name": "x", "constraints": None},
            {
                "path": "/body/constraints",
                "message": "The `/body/constraints` property must be array. You sent null.",
            },
            id="constraints null",
        ),
        pytest.param(
            {
                "name": "x",
                "constraints": [{"contextName": "a", "operator": "IN", "values": ["a"], "foo": 1}],
            },
            {
                "path": "/body/constraints/0/foo",
                "message": "The `/body/constraints/0` object of the request body does not allow "
                "additional properties. "
                "Your request included the `/body/constraints/0/foo` property.",
            },
            id="unknown constraint key",
        ),
        pytest.param(
            {"name": "x", "constraints": [{"operator": "IN", "values": ["a"]}]},
            {
                "path": "/body/constraints/0/contextName",
                "message": "The `/body/constraints/0/contextName` property is required. "
                "It was not present on the data you sent.",
            },
            id="missing contextName",
        ),
        pytest.param(
            {"name": "x", "constraints": [{"contextName": "a", "operator": "IN", "values": "a"}]},
            {
                "path": "/body/constraints/0/values",
                "message": 'The `/body/constraints/0/values` property must be array. You sent "a".',
            },
            id="values not an array",
        ),
        pytest.param(
            {
                "name": "x",
                "constraints": [
                    {"contextName": "a", "operator": "IN", "values": ["a"], "inverted": "yes"}
                ],
            },
            {
                "path": "/body/constraints/0/inverted",
                "message": "The `/body/constraints/0/inverted` property must be boolean. "
                'You sent "yes".',
            },
            id="inverted not a boolean",
        ),
    ],
)
def test_create_segment__schema_violation__400_with_id(
    client: TestClient, body: dict[str, Any], detail: dict[str, str]
) -> None:
    response = client.post("/api/admin/segments", headers=ADMIN, json=body)
    assert response.status_code == 400
    assert errors_without_id(response) == {
        "name": "BadDataError",
        "message": BAD_DATA_LIST,
        "details": [detail],
    }


def test_create_segment__unknown_operator__400_lists_allowed(client: TestClient) -> None:
    body = {"name": "x", "constraints": [{"contextName": "a", "operator": "BAD", "values": ["a"]}]}
    response = client.post("/api/admin/segments", headers=ADMIN, json=body)
    assert response.status_code == 400
    allowed = (
        '"NOT_IN", "IN", "STR_ENDS_WITH", "STR_STARTS_WITH", "STR_CONTAINS", "NUM_EQ", "NUM_GT", '
        '"NUM_GTE", "NUM_LT", "NUM_LTE", "DATE_AFTER", "DATE_BEFORE", "SEMVER_EQ", "SEMVER_GT", '
        '"SEMVER_LT", "SEMVER_GTE", "SEMVER_LTE", "REGEX"'
    )
    assert errors_without_id(response)["details"] == [
        {
            "path": "operator",
            "message": "The `operator` property must be equal to one of the allowed values: "
            f'{allowed}. You provided "BAD", which is not valid. '
            "Please use one of the allowed values instead..",
        }
    ]


@pytest.mark.parametrize(
    ("constraint", "detail"),
    [
        pytest.param(
            {"contextName": "a", "operator": "NUM_EQ", "value": "abc"},
            '"value" must be a number. You provided "abc".',
            id="NUM_EQ not a number",
        ),
        pytest.param(
            {"contextName": "a", "operator": "DATE_AFTER", "value": "notadate"},
            '"value" must be a valid date. You provided "notadate".',
            id="DATE_AFTER not a date",
        ),
        pytest.param(
            {"contextName": "a", "operator": "IN", "values": []},
            '"value" must contain at least 1 items. You provided [].',
            id="IN without values",
        ),
        pytest.param(
            {"contextName": "a", "operator": "IN"},
            '"value" must contain at least 1 items. You provided [].',
            id="IN values absent",
        ),
        pytest.param(
            {"contextName": "a", "operator": "IN", "values": ["a" * 101]},
            f'"constraints[0].values[0]" length must be less than or equal to 100 characters long. '
            f'You provided "{"a" * 101}".',
            id="value longer than 100",
        ),
        pytest.param(
            {"contextName": "", "operator": "IN", "values": ["x"]},
            '"constraints[0].contextName" is not allowed to be empty.',
            id="empty contextName",
        ),
        pytest.param(
            {"contextName": "a", "operator": "IN", "values": [""]},
            '"constraints[0].values[0]" is not allowed to be empty.',
            id="empty value in values",
        ),
    ],
)
def test_create_segment__joi_rule__400_without_id(
    client: TestClient, constraint: dict[str, Any], detail: str
) -> None:
    body = {"name": "x", "constraints": [constraint]}
    response = client.post("/api/admin/segments", headers=ADMIN, json=body)
    assert response.status_code == 400
    assert response.json() == {
        "name": "BadDataError",
        "message": BAD_DATA_LIST,
        "details": [{"message": detail}],
    }


@pytest.mark.parametrize(
    ("constraint", "message"),
    [
        pytest.param(
            {"contextName": "a", "operator": "SEMVER_EQ", "value": "v1.2.3"},
            "the provided value is not a valid semver format. The value provided was: v1.2.3",
            id="semver with v",
        ),
        pytest.param(
            {"contextName": "a", "operator": "SEMVER_GT", "value": "1.2"},
            "the provided value is not a valid semver format. The value provided was: 1.2",
            id="semver incomplete",
        ),
        pytest.param(
            {"contextName": "a", "operator": "SEMVER_LT", "value": "1.2.3+"},
            "the provided value is not a valid semver format. The value provided was: 1.2.3+",
            id="semver with empty build metadata",
        ),
        pytest.param(
            {"contextName": "a", "operator": "REGEX", "value": "(a"},
            "the provided value is not a valid regex string. "
            "Error: error parsing regexp: missing closing ): `(a`",
            id="regex unbalanced",
        ),
        pytest.param(
            {"contextName": "a", "operator": "REGEX", "value": "(?=a)"},
            "the provided value is not a valid regex string. "
            "Error: error parsing regexp: invalid or unsupported Perl syntax: `(?=`",
            id="regex lookahead (not RE2)",
        ),
        pytest.param(
            {"contextName": "a", "operator": "REGEX", "value": "a.*", "inverted": True},
            "REGEX operator cannot be inverted.",
            id="regex inverted",
        ),
        pytest.param(
            {"contextName": "a", "operator": "NUM_GT"},
            "Single-value constraint operators require a non-empty value.",
            id="single-value operator without value",
        ),
    ],
)
def test_create_segment__operator_rule__400_single_message(
    client: TestClient, constraint: dict[str, Any], message: str
) -> None:
    response = client.post(
        "/api/admin/segments", headers=ADMIN, json={"name": "x", "constraints": [constraint]}
    )
    assert response.status_code == 400
    assert response.json() == {
        "name": "BadDataError",
        "message": BAD_DATA_ONE + message,
        "details": [{"message": message}],
    }


def test_create_segment__empty_name__400(client: TestClient) -> None:
    response = client.post(
        "/api/admin/segments", headers=ADMIN, json={"name": "", "constraints": []}
    )
    assert response.status_code == 400
    assert response.json() == {
        "name": "BadDataError",
        "message": BAD_DATA_LIST,
        "details": [{"message": '"name" is not allowed to be empty.'}],
    }


def test_create_segment__body_not_an_object__400(client: TestClient) -> None:
    response = client.post("/api/admin/segments", headers=ADMIN, json=[1])
    assert response.status_code == 400
    assert errors_without_id(response)["details"] == [
        {"path": "/body", "message": "The `/body` property must be object. You sent [1]."}
    ]


def test_create_segment__malformed_json__400_json_body(client: TestClient) -> None:
    response = client.post(
        "/api/admin/segments",
        headers={**ADMIN, "Content-Type": "application/json"},
        content=b"{bad",
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    body = errors_without_id(response)
    assert body["name"] == "BadDataError"
    assert body["details"][0]["message"].startswith("The request body is not valid JSON")


def test_create_segment__no_content_type__415(client: TestClient) -> None:
    response = client.post(
        "/api/admin/segments", headers=ADMIN, content=b'{"name":"x","constraints":[]}'
    )
    assert response.status_code == 415
    message = (
        "We do not accept the content-type you provided (you didn't provide one). Try using one of "
        "the content-types we do accept instead (application/json) and make sure the body is in "
        "the corresponding format."
    )
    assert errors_without_id(response) == {
        "name": "ContentTypeError",
        "message": message,
        "details": [{"message": message}],
    }


def test_create_segment__wrong_content_type__415(client: TestClient) -> None:
    response = client.post(
        "/api/admin/segments", headers={**ADMIN, "Content-Type": "text/plain"}, content=b"x"
    )
    assert response.status_code == 415
    assert errors_without_id(response)["message"].startswith(
        "We do not accept the content-type you provided (text/plain)."
    )


def test_create_segment__json_with_charset__201(client: TestClient) -> None:
    response = client.post(
        "/api/admin/segments",
        headers={**ADMIN, "Content-Type": "application/json; charset=utf-8"},
        content=b'{"name":"x","constraints":[]}',
    )
    assert response.status_code == 201


def test_create_segment__values_over_limit__400(client: TestClient) -> None:
    constraints = [
        {"contextName": "userId", "operator": "IN", "values": [str(i) for i in range(600)]},
        {"contextName": "userId", "operator": "NOT_IN", "values": [str(i) for i in range(401)]},
    ]
    response = client.post(
        "/api/admin/segments", headers=ADMIN, json={"name": "big", "constraints": constraints}
    )
    assert response.status_code == 400
    assert response.json()["details"] == [
        {"message": "Segments may not have more than 1000 values"}
    ]


def test_create_segment__exactly_limit_values__201(client: TestClient) -> None:
    constraints = [
        {"contextName": "userId", "operator": "IN", "values": [str(i) for i in range(1000)]}
    ]
    create(client, {"name": "big", "constraints": constraints})


def test_list_segments__sorted_by_name_with_usage(client: TestClient) -> None:
    create(client, {"name": "zeta", "constraints": []})
    create(client, {"name": "alpha", "constraints": [IN_AB]})
    body = client.get("/api/admin/segments", headers=ADMIN).json()
    assert [s["name"] for s in body["segments"]] == ["alpha", "zeta"]
    alpha = body["segments"][0]
    assert alpha["usedInFeatures"] == 0
    assert alpha["usedInProjects"] == 0
    assert set(alpha) == {
        "id",
        "name",
        "description",
        "constraints",
        "createdBy",
        "createdAt",
        "usedInFeatures",
        "usedInProjects",
    }


def test_get_segment__unknown_id__404(client: TestClient) -> None:
    response = client.get("/api/admin/segments/999", headers=ADMIN)
    assert response.status_code == 404
    assert response.json() == {
        "name": "NotFoundError",
        "message": 'No segment exists with ID "999"',
        "details": [{"message": 'No segment exists with ID "999"'}],
    }


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_segment_by_id__non_numeric_id__400(client: TestClient, method: str) -> None:
    response = client.request(
        method,
        "/api/admin/segments/stringName",
        headers=ADMIN,
        json={"name": "x", "constraints": []},
    )
    assert response.status_code == 400
    assert errors_without_id(response) == {
        "name": "BadDataError",
        "message": BAD_DATA_LIST,
        "details": [
            {
                "path": "/params/id",
                "message": 'The `/params/id` property must be integer. You sent "stringName".',
            }
        ],
    }


def test_update_segment__valid__204_and_event(client: TestClient) -> None:
    created = create(client, {"name": "beta", "description": "d", "constraints": [IN_AB]})
    response = client.put(
        "/api/admin/segments/1", headers=ADMIN, json={"name": "beta2", "constraints": []}
    )
    assert response.status_code == 204
    assert response.content == b""
    stored = client.get("/api/admin/segments/1", headers=ADMIN).json()
    # description omitted => left unchanged
    assert stored == {**created, "name": "beta2", "constraints": []}
    event = client.get("/api/admin/events", headers=ADMIN).json()["events"][0]
    assert event["type"] == "segment-updated"
    assert event["data"] == stored
    assert event["preData"] == created
    assert event["createdBy"] == "admin"
    assert event["createdByUserId"] == -42


def test_update_segment__description_null__stored_null(client: TestClient) -> None:
    create(client, {"name": "beta", "description": "d", "constraints": []})
    client.put(
        "/api/admin/segments/1",
        headers=ADMIN,
        json={"name": "beta", "description": None, "constraints": []},
    )
    assert client.get("/api/admin/segments/1", headers=ADMIN).json()["description"] is None


def test_update_segment__same_name__204(client: TestClient) -> None:
    create(client, {"name": "beta", "constraints": []})
    response = client.put(
        "/api/admin/segments/1", headers=ADMIN, json={"name": "beta", "constraints": [IN_AB]}
    )
    assert response.status_code == 204


def test_update_segment__taken_name__409(client: TestClient) -> None:
    create(client, {"name": "beta", "constraints": []})
    create(client, {"name": "gamma", "constraints": []})
    response = client.put(
        "/api/admin/segments/2", headers=ADMIN, json={"name": "beta", "constraints": []}
    )
    assert response.status_code == 409
    assert response.json()["name"] == "NameExistsError"


def test_update_segment__unknown_id__404(client: TestClient) -> None:
    response = client.put(
        "/api/admin/segments/42", headers=ADMIN, json={"name": "x", "constraints": []}
    )
    assert response.status_code == 404
    assert response.json()["message"] == 'No segment exists with ID "42"'


def test_update_segment__unknown_id_and_bad_body__400_first(client: TestClient) -> None:
    response = client.put("/api/admin/segments/42", headers=ADMIN, json={"name": "x"})
    assert response.status_code == 400


def test_update_segment__remove_project__global(client: TestClient) -> None:
    create(client, {"name": "p", "project": "default", "constraints": []})
    client.put(
        "/api/admin/segments/1",
        headers=ADMIN,
        json={"name": "p", "project": None, "constraints": []},
    )
    assert "project" not in client.get("/api/admin/segments/1", headers=ADMIN).json()


def test_update_segment__no_content_type__415(client: TestClient) -> None:
    create(client, {"name": "p", "constraints": []})
    response = client.put("/api/admin/segments/1", headers=ADMIN, content=b"{}")
    assert response.status_code == 415


def test_delete_segment__unused__204_and_gone(client: TestClient) -> None:
    created = create(client, {"name": "beta", "constraints": [IN_AB]})
    response = client.delete("/api/admin/segments/1", headers=ADMIN)
    assert response.status_code == 204
    assert client.get("/api/admin/segments/1", headers=ADMIN).status_code == 404
    event = client.get("/api/admin/events", headers=ADMIN).json()["events"][0]
    assert event["type"] == "segment-deleted"
    assert event["data"] is None
    assert event["preData"] == created


def test_delete_segment__unknown_id__404(client: TestClient) -> None:
    response = client.delete("/api/admin/segments/7", headers=ADMIN)
    assert response.status_code == 404
    assert response.json()["message"] == 'No segment exists with ID "7"'


def test_validate_segment__free_name__204(client: TestClient) -> None:
    response = client.post("/api/admin/segments/validate", headers=ADMIN, json={"name": "free"})
    assert response.status_code == 204
    assert response.content == b""


def test_validate_segment__taken_name__409(client: TestClient) -> None:
    create(client, {"name": "beta", "constraints": []})
    response = client.post("/api/admin/segments/validate", headers=ADMIN, json={"name": "beta"})
    assert response.status_code == 409
    assert response.json() == {
        "name": "NameExistsError",
        "message": "Segment name already exists",
        "details": [{"message": "Segment name already exists"}],
    }


def test_validate_segment__empty_name__400(client: TestClient) -> None:
    response = client.post("/api/admin/segments/validate", headers=ADMIN, json={"name": ""})
    assert response.status_code == 400
    assert response.json() == {
        "name": "BadDataError",
        "message": BAD_DATA_ONE + "Segment name cannot be empty",
        "details": [{"message": "Segment name cannot be empty"}],
    }


def test_validate_segment__extra_property__400(client: TestClient) -> None:
    response = client.post(
        "/api/admin/segments/validate", headers=ADMIN, json={"name": "x", "extra": 1}
    )
    assert response.status_code == 400
    assert errors_without_id(response)["details"] == [
        {
            "path": "/body/extra",
            "message": "The `/body` object of the request body does not allow additional "
            "properties. Your request included the `/body/extra` property.",
        }
    ]


def test_segment_strategies__unknown_segment__404(client: TestClient) -> None:
    response = client.get("/api/admin/segments/5/strategies", headers=ADMIN)
    assert response.status_code == 404
    assert response.json()["message"] == 'No segment exists with ID "5"'


def test_segment_strategies__unused__empty_lists(client: TestClient) -> None:
    create(client, {"name": "beta", "constraints": []})
    response = client.get("/api/admin/segments/1/strategies", headers=ADMIN)
    assert response.json() == {"strategies": [], "changeRequestStrategies": []}


def test_segments_by_strategy__unknown_strategy__empty(client: TestClient) -> None:
    response = client.get("/api/admin/segments/strategies/nope", headers=ADMIN)
    assert response.status_code == 200
    assert response.json() == {"segments": []}


def test_update_strategy_segments__missing_field__400(client: TestClient) -> None:
    body = {"projectId": "default", "strategyId": "x", "environmentId": "development"}
    response = client.post("/api/admin/segments/strategies", headers=ADMIN, json=body)
    assert response.status_code == 400
    assert errors_without_id(response)["details"] == [
        {
            "path": "/body/segmentIds",
            "message": "The `/body/segmentIds` property is required. "
            "It was not present on the data you sent.",
        }
    ]


def test_update_strategy_segments__negative_id__400(client: TestClient) -> None:
    body = {
        "projectId": "default",
        "strategyId": "x",
        "environmentId": "development",
        "segmentIds": [-1],
    }
    response = client.post("/api/admin/segments/strategies", headers=ADMIN, json=body)
    assert response.status_code == 400
    assert errors_without_id(response)["details"] == [
        {
            "path": "/body/segmentIds/0",
            "message": "The `/body/segmentIds/0` property must be >= 0. You sent -1.",
        }
    ]


def test_update_strategy_segments__unknown_strategy__404(client: TestClient) -> None:
    create(client, {"name": "beta", "constraints": []})
    body = {
        "projectId": "default",
        "strategyId": "nope",
        "environmentId": "development",
        "segmentIds": [1],
    }
    response = client.post("/api/admin/segments/strategies", headers=ADMIN, json=body)
    assert response.status_code == 404


def test_segments_limit__reached__400_exceeds_limit(database_url: str) -> None:
    from conftest import make_settings
    from leash.app import create_app

    with TestClient(create_app(make_settings(database_url, unleash_segments_limit=2))) as client:
        create(client, {"name": "a", "constraints": []})
        create(client, {"name": "b", "constraints": []})
        response = client.post(
            "/api/admin/segments", headers=ADMIN, json={"name": "c", "constraints": []}
        )
    assert response.status_code == 400
    assert response.json() == {
        "name": "ExceedsLimitError",
        "message": LIMIT_2,
        "details": [{"message": LIMIT_2}],
    }


def test_segment_values_limit__configured__400_above(database_url: str) -> None:
    from conftest import make_settings
    from leash.app import create_app

    with TestClient(
        create_app(make_settings(database_url, unleash_segment_values_limit=3))
    ) as client:
        constraints = [{"contextName": "u", "operator": "IN", "values": ["1", "2", "3", "4"]}]
        response = client.post(
            "/api/admin/segments", headers=ADMIN, json={"name": "a", "constraints": constraints}
        )
    assert response.status_code == 400
    assert response.json()["details"] == [{"message": "Segments may not have more than 3 values"}]


def test_segments__no_token__401_authentication_required(client: TestClient) -> None:
    response = client.get("/api/admin/segments")
    assert response.status_code == 401
    message = (
        "You must log in to use Unleash. Your request had no authorization header, so we could "
        "not authorize you. Try logging in at /auth/simple/login"
    )
    assert errors_without_id(response) == {
        "name": "AuthenticationRequired",
        "message": message,
        "details": [{"message": message}],
        "path": "/auth/simple/login",
        "type": "password",
        "defaultHidden": False,
    }


def test_segments__unknown_token__401_unauthorized(client: TestClient) -> None:
    response = client.get("/api/admin/segments", headers={"Authorization": "nope"})
    assert response.status_code == 401
    assert errors_without_id(response) == {
        "name": "UnauthorizedError",
        "message": "You must log in to use Unleash.",
        "details": [{"message": "You must log in to use Unleash."}],
    }


@pytest.mark.parametrize("headers", [CLIENT, FRONTEND], ids=["client", "frontend"])
def test_segments__non_admin_token__403(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post(
        "/api/admin/segments", headers=headers, json={"name": "x", "constraints": []}
    )
    assert response.status_code == 403
    assert response.json() == {
        "message": "invalid token: expected a different token type for this endpoint"
    }


def test_segments__bearer_prefix__accepted(client: TestClient) -> None:
    response = client.get(
        "/api/admin/segments", headers={"Authorization": "Bearer *:*.admin-secret"}
    )
    assert response.status_code == 200


def test_create_segment__after_deleting_newest__id_not_reused(client: TestClient) -> None:
    create(client, {"name": "a", "constraints": []})
    create(client, {"name": "b", "constraints": []})
    assert client.delete("/api/admin/segments/2", headers=ADMIN).status_code == 204
    assert create(client, {"name": "c", "constraints": []})["id"] == 3
