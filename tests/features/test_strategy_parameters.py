"""Strategy parameters that cannot be a real value are refused at write time (400).

Unleash 8.2 stores any string there ("150", "abc", 4,400 digits: checked on the reference);
leash is stricter on purpose (leash.features.parameters says why), so these answers are
leash's own, worded in Unleash's BadDataError body.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from support import ADMIN, BAD_DATA_ONE

FEAT = "/api/admin/projects/default/features"
STRATEGIES = f"{FEAT}/flag/environments/development/strategies"


def bad_data(message: str) -> dict[str, Any]:
    return {
        "name": "BadDataError",
        "message": BAD_DATA_ONE + message,
        "details": [{"message": message}],
    }


def rollout_message(sent: str, key: str = "rollout") -> str:
    return (
        f'The strategy parameter "{key}" must be a whole number from 0 to 100. You sent "{sent}".'
    )


def ips_message(entry: str) -> str:
    return (
        'The strategy parameter "IPs" must be a comma-separated list of IP addresses and CIDR '
        f'ranges. "{entry}" is neither.'
    )


@pytest.fixture
def flag(client: TestClient) -> TestClient:
    assert client.post(FEAT, headers=ADMIN, json={"name": "flag"}).status_code == 201
    return client


def stored(client: TestClient) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = client.get(STRATEGIES, headers=ADMIN).json()
    return listed


def test_create_strategy__rollout_of_4400_digits__400_nothing_stored(flag: TestClient) -> None:
    body = {"name": "flexibleRollout", "parameters": {"rollout": "1" * 4400}}
    response = flag.post(STRATEGIES, headers=ADMIN, json=body)
    assert response.status_code == 400
    assert response.json() == bad_data(rollout_message("1" * 40 + "..."))
    assert stored(flag) == []


def test_create_strategy__ip_of_4400_digits__400_nothing_stored(flag: TestClient) -> None:
    body = {"name": "remoteAddress", "parameters": {"IPs": "10.0.0.1, " + "1" * 4400}}
    response = flag.post(STRATEGIES, headers=ADMIN, json=body)
    assert response.status_code == 400
    assert response.json() == bad_data(ips_message("1" * 40 + "..."))
    assert stored(flag) == []


# "\uff11" is a fullwidth digit one: a digit to str.isdigit(), not to an SDK.
@pytest.mark.parametrize(
    "rollout", ["150", "101", "abc", "50.5", "-1", "", " 50", "0100", "\uff11"]
)
def test_create_strategy__rollout_not_0_to_100__400(flag: TestClient, rollout: str) -> None:
    body = {"name": "flexibleRollout", "parameters": {"rollout": rollout}}
    response = flag.post(STRATEGIES, headers=ADMIN, json=body)
    assert response.status_code == 400
    assert response.json() == bad_data(rollout_message(rollout))


@pytest.mark.parametrize(
    ("sent", "served"), [("0", "0"), ("100", "100"), ("050", "050"), (42, "42"), (42.0, "42")]
)
def test_create_strategy__rollout_0_to_100__200(flag: TestClient, sent: Any, served: str) -> None:
    body = {"name": "flexibleRollout", "parameters": {"rollout": sent}}
    response = flag.post(STRATEGIES, headers=ADMIN, json=body)
    assert response.status_code == 200, response.text
    assert response.json()["parameters"]["rollout"] == served


@pytest.mark.parametrize(
    ("ips", "entry"),
    [
        ("10.0.0.1, 192.invalid", "192.invalid"),
        ("10.0.0.0/33", "10.0.0.0/33"),
        ("10.0.0.1 10.0.0.2", "10.0.0.1 10.0.0.2"),
        ("fe80::1%eth0", "fe80::1%eth0"),
    ],
)
def test_create_strategy__ips_entry_not_an_address__400(
    flag: TestClient, ips: str, entry: str
) -> None:
    body = {"name": "remoteAddress", "parameters": {"IPs": ips}}
    response = flag.post(STRATEGIES, headers=ADMIN, json=body)
    assert response.status_code == 400
    assert response.json() == bad_data(ips_message(entry))


def test_create_strategy__ips_addresses_and_ranges__200(flag: TestClient) -> None:
    ips = "10.0.0.1, 192.168.0.0/16,2001:db8::/32 , ::1,"
    body = {"name": "remoteAddress", "parameters": {"IPs": ips}}
    response = flag.post(STRATEGIES, headers=ADMIN, json=body)
    assert response.status_code == 200, response.text
    assert response.json()["parameters"] == {"IPs": ips}


def test_create_strategy__parameter_over_length_cap__400(flag: TestClient) -> None:
    body = {"name": "flexibleRollout", "parameters": {"rollout": "5", "groupId": "g" * 10_001}}
    response = flag.post(STRATEGIES, headers=ADMIN, json=body)
    assert response.status_code == 400
    assert response.json() == bad_data(
        'The strategy parameter "groupId" may be at most 10000 characters long. You sent 10001.'
    )
    assert stored(flag) == []


def test_update_strategy__bad_rollout__400_and_unchanged(flag: TestClient) -> None:
    body = {"name": "flexibleRollout", "parameters": {"rollout": "40"}}
    created = flag.post(STRATEGIES, headers=ADMIN, json=body).json()
    for update in (
        {"name": "flexibleRollout", "parameters": {"rollout": "1" * 4400}},
        # Without a name the stored strategy's type decides what its parameters must hold.
        {"parameters": {"rollout": "150"}},
    ):
        response = flag.put(f"{STRATEGIES}/{created['id']}", headers=ADMIN, json=update)
        assert response.status_code == 400, update
    assert [s["parameters"]["rollout"] for s in stored(flag)] == ["40"]


def test_update_strategy__bad_ips__400_and_unchanged(flag: TestClient) -> None:
    body = {"name": "remoteAddress", "parameters": {"IPs": "10.0.0.1"}}
    created = flag.post(STRATEGIES, headers=ADMIN, json=body).json()
    update = {"name": "remoteAddress", "parameters": {"IPs": "10.0.0.1," + "9" * 4400}}
    response = flag.put(f"{STRATEGIES}/{created['id']}", headers=ADMIN, json=update)
    assert response.status_code == 400
    assert response.json() == bad_data(ips_message("9" * 40 + "..."))
    assert [s["parameters"] for s in stored(flag)] == [{"IPs": "10.0.0.1"}]


def test_toggle_on__default_strategy__passes_the_rules(flag: TestClient) -> None:
    assert flag.post(f"{FEAT}/flag/environments/development/on", headers=ADMIN).status_code == 200
    assert [s["parameters"] for s in stored(flag)] == [
        {"rollout": "100", "stickiness": "default", "groupId": "flag"}
    ]
