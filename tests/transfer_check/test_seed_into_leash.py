"""The check's own seed written into leash, and compare.py reading leash: leash takes the whole
data set through its admin API (environment variants aside: leash, like Unleash 8.2 by default,
refuses them on new flags), and compare.py judges a server against itself as 100% agreeing
(its normalization and its SDK evaluation are deterministic)."""

from __future__ import annotations

import pytest
from tools.migration_check import compare, dataset, seed
from transfer_kit import add_dataset_projects, leash_server, percentages

pytestmark = pytest.mark.slow


def test_seed_into_leash__whole_data_set__served_and_judged_equal_to_itself(
    database_url: str,
) -> None:
    add_dataset_projects(database_url)
    with leash_server(database_url) as server:
        count = seed.seed(
            server.admin, database_url=None, make_projects=False, environment_variants=False
        )
        sections = compare.judge(server, server, count=20)
        token = compare.client_token(server.admin, environment="development")
        served = compare.client_payload(server.admin, token=token, spec="5.2.0")

    assert count == len(dataset.flags()) == 59
    assert percentages(sections) == {
        "client payloads": 100.0,
        "admin views": 100.0,
        "evaluation": 100.0,
    }
    archived = {flag["name"] for flag in dataset.flags() if flag.get("archived")}
    assert sorted(f["name"] for f in served["features"]) == sorted(
        flag["name"] for flag in dataset.flags() if flag["name"] not in archived
    )
    # every segment is used by some flag, so all are served
    assert sorted(s["name"] for s in served["segments"]) == sorted(
        s["name"] for s in dataset.SEGMENTS
    )
    # 2 environments x 55 flags x 20 contexts
    assert sections[2].total == 2 * 55 * 20
