"""Shared by the transfer-check tests: a leash to seed or migrate into, read with compare.py."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from tools.migration_check import dataset
from tools.migration_check.admin import Admin
from tools.migration_check.compare import Section, Server

from conftest import make_settings
from leash.db import create_db_engine
from live import live_server
from support import ADMIN_SECRET, add_project


def add_dataset_projects(database_url: str) -> None:
    """leash, like open-source Unleash, has no createProject: the rows are written directly."""
    engine = create_db_engine(make_settings(database_url).database_url)
    try:
        for project in dataset.PROJECTS:
            add_project(engine, project["id"], environments=dataset.ENVIRONMENTS)
    finally:
        engine.dispose()


@contextmanager
def leash_server(database_url: str) -> Iterator[Server]:
    with live_server(make_settings(database_url)) as url:
        admin = Admin(url=url, token=ADMIN_SECRET)
        try:
            yield Server(url, admin)
        finally:
            admin.close()


def percentages(sections: list[Section]) -> dict[str, float]:
    return {section.name: section.percent for section in sections}


def differing_units(section: Section) -> set[str]:
    """What differs, without the detail: a flag, a segment, an environment's flag."""
    if section.groups:
        return {group for group, (differ, _) in section.groups.items() if differ}
    return {difference.split(": ", 1)[0] for difference in section.differences}
