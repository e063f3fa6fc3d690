"""`leash export` / `leash import` between two fresh leash databases: the copy serves SDKs and
admins exactly what the original does, and loading it again changes nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from transferkit import admin_views, client_features, differences, seed_leash

from conftest import Databases, make_settings
from leash import cli
from leash.app import create_app
from leash.changelog import changes
from leash.db import create_db_engine
from leash.transfer import state as st
from leash.transfer.commands import apply_state
from leash.transfer.export import export_state
from support import ADMIN

pytestmark = pytest.mark.slow


@pytest.fixture
def target_url(database_url: str, databases: Databases) -> Iterator[str]:
    """A second fresh database of the same kind as `database_url`."""
    if database_url.startswith("sqlite"):
        yield databases.sqlite()
        return
    url = databases.postgres()
    yield url
    databases.drop(url)


def _export(url: str, *, segments_only: bool = False) -> st.State:
    engine = create_db_engine(url, pool_size=1)
    try:
        with engine.connect() as conn:
            return export_state(conn, segments_only=segments_only)
    finally:
        engine.dispose()


def _changes(url: str) -> int:
    engine = create_db_engine(url, pool_size=1)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(changes)).scalar_one())
    finally:
        engine.dispose()


def test_export_import__fresh_database__same_client_payload_and_admin_views(
    database_url: str, target_url: str
) -> None:
    with TestClient(create_app(make_settings(database_url))) as source:
        seed_leash(source, database_url=database_url)
    exported = _export(database_url)
    report = apply_state(settings=make_settings(target_url), state=exported, dry_run=False)
    assert report.not_carried == []
    assert report.outcomes["flags"]["created"] == 20
    assert report.outcomes["segments"]["created"] == 2

    with (
        TestClient(create_app(make_settings(database_url))) as source,
        TestClient(create_app(make_settings(target_url))) as copy,
    ):
        want_client = client_features(source)
        got_client = client_features(copy)
        assert got_client["features"] == want_client["features"]
        assert len(got_client["features"]) == 18
        diffs = differences(admin_views(copy), admin_views(source))
        assert diffs == [], "\n".join(diffs)
    assert _export(target_url) == exported


def test_import__second_time__changes_nothing(database_url: str, target_url: str) -> None:
    with TestClient(create_app(make_settings(database_url))) as source:
        seed_leash(source, database_url=database_url)
    exported = _export(database_url)
    apply_state(settings=make_settings(target_url), state=exported, dry_run=False)
    logged = _changes(target_url)

    again = apply_state(settings=make_settings(target_url), state=exported, dry_run=False)

    assert again.changed() is False
    assert {kind: counts["unchanged"] for kind, counts in again.outcomes.items()} == {
        kind: sum(counts.values()) for kind, counts in again.outcomes.items()
    }
    assert _changes(target_url) == logged
    assert _export(target_url) == exported


def test_import__dry_run__writes_nothing(database_url: str, target_url: str) -> None:
    with TestClient(create_app(make_settings(database_url))) as source:
        seed_leash(source, database_url=database_url)
    before = _export(target_url)

    report = apply_state(
        settings=make_settings(target_url), state=_export(database_url), dry_run=True
    )

    assert report.outcomes["flags"]["created"] == 20
    assert _export(target_url) == before
    assert "would change (dry run, nothing written)" in report.render(dry_run=True)


def test_cli_export_import__segments_only__carries_segments_with_their_ids(
    database_url: str,
    target_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with TestClient(create_app(make_settings(database_url))) as source:
        seed_leash(source, database_url=database_url)
    file = tmp_path / "segments.json"
    monkeypatch.setenv("DATABASE_URL", database_url)
    cli.main(["export", "--segments", str(file)])
    document = json.loads(file.read_text())
    assert [(s["id"], s["name"]) for s in document["segments"]] == [
        (1, "beta-users"),
        (2, "europe"),
    ]
    assert document["flags"] == [] and document["format"] == "leash-state"

    monkeypatch.setenv("DATABASE_URL", target_url)
    cli.main(["import", str(file)])

    assert "segments  2 created" in capsys.readouterr().out
    assert _export(target_url, segments_only=True)["segments"] == document["segments"]


def test_cli_import__not_a_state__refused_nothing_written(
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    file = tmp_path / "other.json"
    file.write_text('{"format": "unleash-export", "version": 1}')
    monkeypatch.setenv("DATABASE_URL", database_url)
    before = _export(database_url)

    with pytest.raises(SystemExit) as exited:
        cli.main(["import", str(file)])

    assert str(exited.value) == (
        f"leash: cannot import {file}: not a leash-state document: format is 'unleash-export'"
    )
    assert _export(database_url) == before


def test_import__flag_of_unknown_project__refused_nothing_written(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = st.empty()
    document["segments"] = [
        st.Segment(
            id=7,
            name="kept-out",
            description=None,
            project=None,
            constraints=[],
            createdBy=None,
            createdAt=None,
        )
    ]
    document["flags"] = [
        st.Flag(
            name="orphan",
            project="nowhere",
            type="release",
            description=None,
            stale=False,
            impressionData=False,
            createdAt=None,
            archivedAt=None,
            environments=[],
            tags=[],
            dependencies=[],
            links=[],
        )
    ]
    file = tmp_path / "state.json"
    file.write_text(json.dumps(document))
    monkeypatch.setenv("DATABASE_URL", database_url)
    before = _export(database_url)

    with pytest.raises(SystemExit) as exited:
        cli.main(["import", str(file)])

    assert str(exited.value).startswith(
        f"leash: cannot import {file} (nothing was written): the database refused an entry: "
    )
    assert _export(database_url) == before


def test_import__malformed_entry__refused_with_the_reason(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "state.json"
    file.write_text(json.dumps({"format": "leash-state", "version": 1, "segments": [{"id": 1}]}))
    monkeypatch.setenv("DATABASE_URL", database_url)

    with pytest.raises(SystemExit) as exited:
        cli.main(["import", str(file)])

    assert str(exited.value) == (
        f"leash: cannot import {file} (nothing was written): malformed entry: KeyError: 'name'"
    )


def test_import__new_environment_and_project__created_and_served(database_url: str) -> None:
    document = st.empty()
    document["environments"] = [
        st.Environment(name="staging", type="test", enabled=True, protected=False, sortOrder=5)
    ]
    document["projects"] = [
        st.Project(
            id="shop",
            name="Shop",
            description=None,
            mode="open",
            createdAt="2025-01-02T03:04:05.678Z",
            environments=[st.ProjectEnvironment(environment="staging", defaultStrategy=None)],
        )
    ]
    document["flags"] = [
        st.Flag(
            name="checkout",
            project="shop",
            type="release",
            description="new checkout",
            stale=False,
            impressionData=True,
            createdAt="2025-01-02T03:04:05.678Z",
            archivedAt=None,
            environments=[
                st.FlagEnvironment(
                    name="staging",
                    enabled=True,
                    variants=[],
                    strategies=[
                        st.Strategy(
                            id="s1",
                            name="default",
                            title="all",
                            disabled=False,
                            parameters={},
                            constraints=[],
                            variants=[],
                            sortOrder=0,
                            segments=[],
                        )
                    ],
                )
            ],
            tags=[],
            dependencies=[],
            links=[st.Link(url="HTTPS://www.Example.com/x/", title=None)],
        )
    ]
    apply_state(settings=make_settings(database_url), state=document, dry_run=False)

    with TestClient(create_app(make_settings(database_url))) as client:
        flag = client.get("/api/admin/projects/shop/features/checkout", headers=ADMIN).json()
        staging = client.get("/api/admin/environments/staging", headers=ADMIN).json()

    assert [
        (e["name"], e["enabled"], [s["title"] for s in e["strategies"]])
        for e in flag["environments"]
    ] == [("staging", True, ["all"])]
    assert flag["createdAt"] == "2025-01-02T03:04:05.678Z"
    assert [link["url"] for link in flag["links"]] == ["https://example.com/x"]
    assert (staging["name"], staging["type"], staging["sortOrder"]) == ("staging", "test", 5)
