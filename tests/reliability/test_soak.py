"""A short run of the soak (tests/reliability/soak.py): every kind of traffic at once against two
workers, without a single error. The 10-minute run is `make soak`, outside CI."""

from __future__ import annotations

import pytest
import soak

pytestmark = [pytest.mark.soak, pytest.mark.slow]

KINDS = {
    "admin read",
    "admin write",
    "client poll 200",
    "client poll 304",
    "frontend GET",
    "frontend POST",
    "metrics",
}


def test_soak_short__mixed_load_on_two_workers__no_errors() -> None:
    result = soak.run(duration=12, workers=2, sample_every=3, segments=10, flags=20)
    assert result["errors"] == {}, result["error_samples"]
    assert result["server_alive"] is True
    assert set(result["latency"]) == KINDS
    assert all(figures["requests"] > 0 for figures in result["latency"].values())
    assert len(result["memory"]) == 2  # both workers were sampled
