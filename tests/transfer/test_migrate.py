"""`leash migrate --from URL --from-token TOKEN` against the recorded answers of a reference
Unleash 8.2.0 seeded with scenario.py's data set (tests/transfer/record_unleash.py)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from transferkit import (
    UNLEASH_7_5,
    RecordedUnleash,
    differences,
    recorded_client_features,
    seen_within,
)

from conftest import make_settings
from leash import cli
from leash.app import create_app
from leash.db import create_db_engine
from leash.transfer import state as st
from leash.transfer.commands import migrate_from
from leash.transfer.export import export_state
from live import live_server
from support import ADMIN, CLIENT

URL = "http://unleash.test"
TOKEN = "*:*.admin-secret"
# The reference's client token for project alpha, production (listed with its secret).
ALPHA_TOKEN = "alpha:production.9f695c83176a166eaf3ddced9821ee2508d56ff0bcba21662deebf8e"


# A fresh leash has the built-in context fields (their dates and order are the source's after
# the run), the two environments, the default project with both, and the `simple` tag type.
COUNTS = [
    "  apiTokens            4 created",
    "  contextFields        3 created, 5 updated",
    "  dependencies         3 created",
    "  environments         2 unchanged",
    "  featureTags          7 created",
    "  flagEnvironments     40 created",
    "  flags                20 created",
    "  links                3 created",
    "  projectEnvironments  4 created, 2 unchanged",
    "  projects             2 created, 1 unchanged",
    "  segments             2 created",
    "  strategies           56 created",
    "  strategyDefinitions  1 created",
    "  strategySegments     18 created",
    "  tagTypes             1 created, 1 unchanged",
    "  tags                 2 created",
    "  users                3 created",
]


def _migrate(database_url: str, recorded: RecordedUnleash, *, dry_run: bool = False) -> None:
    problem = migrate_from(
        settings=make_settings(database_url),
        url=URL,
        token=TOKEN,
        dry_run=dry_run,
        transport=recorded.transport(),
    )
    assert problem is None


def _export(url: str) -> st.State:
    engine = create_db_engine(url, pool_size=1)
    try:
        with engine.connect() as conn:
            return export_state(conn)
    finally:
        engine.dispose()


def _client_view(body: dict[str, Any]) -> dict[str, Any]:
    """Where leash's client API and Unleash's differ, not what was migrated: Unleash lists a
    dependency once per row its query joins (once per strategy of the flag); leash lists each
    once."""
    features = []
    for flag in sorted(body["features"], key=lambda f: f["name"]):
        flag = dict(flag)
        if "dependencies" in flag:
            unique: list[dict[str, Any]] = []
            for dependency in flag["dependencies"]:
                if dependency not in unique:
                    unique.append(dependency)
            flag["dependencies"] = unique
        features.append(flag)
    return {"features": features, "query": body["query"]}


def test_migrate__recorded_unleash__client_features_as_the_reference_serves_them(
    database_url: str,
) -> None:
    _migrate(database_url, RecordedUnleash())

    with TestClient(create_app(make_settings(database_url))) as client:
        got = client.get("/api/client/features", headers=CLIENT).json()

    want = recorded_client_features()
    diffs = differences(_client_view(got), _client_view(want))
    assert diffs == [], "\n".join(diffs)
    assert len(got["features"]) == 18


def test_migrate__recorded_unleash_7_5__client_features_as_it_serves_them(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _migrate(database_url, RecordedUnleash(UNLEASH_7_5))

    with TestClient(create_app(make_settings(database_url))) as client:
        got = client.get("/api/client/features", headers=CLIENT).json()

    want = recorded_client_features(UNLEASH_7_5)
    diffs = differences(_client_view(got), _client_view(want))
    assert diffs == [], "\n".join(diffs)
    assert "  flags                20 created" in capsys.readouterr().out.splitlines()


def test_migrate__reads_only__every_request_a_get(database_url: str) -> None:
    recorded = RecordedUnleash()

    _migrate(database_url, recorded)

    assert {method for method, _ in recorded.requests} == {"GET"}
    assert len(recorded.requests) == len(recorded.answers)


def test_migrate__second_run__changes_nothing_and_prints_no_secret(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _migrate(database_url, RecordedUnleash())
    first = capsys.readouterr().out
    before = _export(database_url)

    _migrate(database_url, RecordedUnleash())

    again = capsys.readouterr().out
    assert "reset link for ada@example.com: http://localhost:4242/reset-password?token=" in first
    assert "created" not in again and "updated" not in again and "removed" not in again
    assert "shown only this once" not in again
    assert _export(database_url) == before


def test_migrate__dry_run__prints_what_would_change_writes_nothing(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _export(database_url)

    _migrate(database_url, RecordedUnleash(), dry_run=True)

    out = capsys.readouterr().out
    assert out.startswith("leash: would change (dry run, nothing written):\n")
    assert "  flags                20 created\n" in out
    assert "reset-password" not in out
    assert _export(database_url) == before


def test_migrate__report__counts_and_what_was_not_carried(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _migrate(database_url, RecordedUnleash())

    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[: lines.index("not carried (4):")] == ["leash: done:", *COUNTS]
    assert lines[lines.index("not carried (4):") + 1 : lines.index("shown only this once:")] == [
        "  links of archived flag 'flag-18': Unleash's admin API does not show an archived "
        "flag's links",
        "  links of archived flag 'flag-19': Unleash's admin API does not show an archived "
        "flag's links",
        "  events, metrics and applications, lifecycle stages, project roles, groups, personal "
        "access tokens, addons: not part of a leash-state (docs/state-format.md); not read",
        "  reset link for user 'admin': the user has no email (set one, then send a reset link)",
    ]


def test_migrate__archived_flags_segments_and_ids__carried(database_url: str) -> None:
    _migrate(database_url, RecordedUnleash())

    state = _export(database_url)
    flags = {flag["name"]: flag for flag in state["flags"]}
    assert sorted(name for name, flag in flags.items() if flag["archivedAt"]) == [
        "flag-18",
        "flag-19",
    ]
    archived = flags["flag-18"]["environments"]
    assert [(e["name"], [s["name"] for s in e["strategies"]]) for e in archived] == [
        ("development", ["flexibleRollout", "byTenant"]),
        ("production", ["flexibleRollout", "byTenant"]),
    ]
    assert archived[0]["strategies"][0]["segments"] == [2]
    assert [(s["id"], s["name"]) for s in state["segments"]] == [(1, "beta-users"), (2, "europe")]
    assert flags["flag-07"]["environments"][1]["strategies"][0]["disabled"] is True
    assert flags["flag-09"]["stale"] is True
    assert flags["flag-04"]["dependencies"] == [
        {"feature": "flag-01", "enabled": True, "variants": ["large"]}
    ]
    assert [d["name"] for d in state["strategyDefinitions"]] == ["byTenant"]
    tier = next(c for c in state["contextFields"] if c["name"] == "tier")
    assert tier["legalValues"] == [{"value": "gold"}, {"value": "free"}]


def test_migrate__listed_token_secret__keeps_working_for_sdks(database_url: str) -> None:
    _migrate(database_url, RecordedUnleash())

    with TestClient(create_app(make_settings(database_url))) as client:
        response = client.get("/api/client/features", headers={"Authorization": ALPHA_TOKEN})
        users = client.get("/api/admin/user-admin", headers=ADMIN).json()["users"]

    assert response.status_code == 200
    assert sorted(f["name"] for f in response.json()["features"]) == [
        "flag-01",
        "flag-04",
        "flag-07",
        "flag-10",
        "flag-13",
        "flag-16",
    ]
    assert sorted((u.get("email"), u["rootRole"]) for u in users if u.get("email")) == [
        ("ada@example.com", 2),
        ("bob@example.com", 3),
    ]


def test_cli_migrate__local_http_server__migrates(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    recorded = RecordedUnleash()
    monkeypatch.setenv("DATABASE_URL", database_url)

    with recorded.serve() as url:
        cli.main(["migrate", "--from", url, "--from-token", TOKEN])

    assert "  flags                20 created" in capsys.readouterr().out.splitlines()
    assert {method for method, _ in recorded.requests} == {"GET"}


def test_cli_migrate__unreachable_source__exits_nothing_written(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    before = _export(database_url)
    recorded = RecordedUnleash()
    with recorded.serve() as url:
        pass

    with pytest.raises(SystemExit) as exited:
        cli.main(["migrate", "--from", url, "--from-token", TOKEN])

    assert str(exited.value).startswith(
        f"leash: cannot read {url} (nothing was written): GET /api/admin/environments: ConnectError"
    )
    assert _export(database_url) == before


def test_cli_migrate__from_without_token__usage_error() -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["migrate", "--from", URL])

    assert exited.value.code == 2


def test_migrate__leash_serving_the_database__serves_the_migrated_state_within_1s(
    database_url: str,
) -> None:
    with live_server(make_settings(database_url)) as url, httpx.Client(base_url=url) as http:

        def names(headers: dict[str, str]) -> list[str]:
            response = http.get("/api/client/features", headers=headers)
            if response.status_code != 200:
                return []
            return sorted(f["name"] for f in response.json()["features"])

        assert names(CLIENT) == []

        _migrate(database_url, RecordedUnleash())

        assert seen_within(lambda: len(names(CLIENT)) == 18, seconds=1.0)
        assert seen_within(lambda: len(names({"Authorization": ALPHA_TOKEN})) == 6, seconds=1.0)


def test_migrate__secure_token__new_secret_printed_once_and_kept_on_a_second_run(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    recorded = RecordedUnleash()
    listed = recorded.answers["/api/admin/api-tokens"]["body"]["tokens"]
    listed.append(
        {
            "secret": "sel_0123456789abcdef",
            "secure": True,
            "tokenName": "edge",
            "type": "frontend",
            "projects": ["beta"],
            "environment": "development",
            "expiresAt": None,
            "createdAt": "2026-12-01T10:00:00.000Z",
        }
    )
    _migrate(database_url, recorded)
    first = capsys.readouterr().out.splitlines()
    printed = [line for line in first if line.startswith("  API token 'edge' (new secret): ")]
    assert len(printed) == 1
    secret = printed[0].removeprefix("  API token 'edge' (new secret): ")
    assert secret.startswith("beta:development.") and len(secret) == len("beta:development.") + 56
    assert (
        "  secret of API token 'edge': the source keeps it only hashed (a secure token); a new "
        "secret is made"
    ) in first

    _migrate(database_url, recorded)

    again = capsys.readouterr().out
    assert "secret" not in again and "  apiTokens            5 unchanged" in again
    with TestClient(create_app(make_settings(database_url))) as client:
        response = client.get("/api/frontend", headers={"Authorization": secret})
    assert response.status_code == 200


def test_migrate__project_settings_leash_lacks__named_in_the_report(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    recorded = RecordedUnleash()
    overview = recorded.answers["/api/admin/projects/alpha/overview"]["body"]
    overview["defaultStickiness"] = "userId"
    overview["featureLimit"] = 40

    _migrate(database_url, recorded)

    lines = capsys.readouterr().out.splitlines()
    assert (
        "  default stickiness 'userId' of project 'alpha': leash has no per-project default "
        "stickiness (flags' strategies keep theirs)"
    ) in lines
    assert "  flag limit 40 of project 'alpha': leash has no per-project flag limit" in lines


def test_migrate__answer_not_shaped_as_unleash__refused_nothing_written(
    database_url: str,
) -> None:
    recorded = RecordedUnleash()
    recorded.answers["/api/admin/segments"]["body"] = {"segments": [{"name": "no id"}]}
    before = _export(database_url)

    problem = migrate_from(
        settings=make_settings(database_url),
        url=URL,
        token=TOKEN,
        dry_run=False,
        transport=recorded.transport(),
    )

    assert problem == (
        f"leash: cannot read {URL} (nothing was written): an answer is not shaped as Unleash "
        "7.x/8.x answers: KeyError: 'id'"
    )
    assert _export(database_url) == before


def test_migrate__token_refused_by_the_source__names_the_token_problem(
    database_url: str,
) -> None:
    recorded = RecordedUnleash()
    recorded.answers["/api/admin/environments"] = {"status": 401, "body": {"message": "no"}}

    problem = migrate_from(
        settings=make_settings(database_url),
        url=URL,
        token="*:development.client-secret",
        dry_run=False,
        transport=recorded.transport(),
    )

    assert problem == (
        f"leash: cannot read {URL} (nothing was written): GET /api/admin/environments: 401: "
        "the token is not an admin token of this Unleash (or lacks permission)"
    )
