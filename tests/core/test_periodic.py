"""leash.periodic: the one background-thread runner (revision watcher, stale job, flushes)."""

from __future__ import annotations

import threading

from leash.periodic import Periodic


def test_periodic__a_failing_tick__logged_and_the_next_tick_runs() -> None:
    calls: list[int] = []
    second = threading.Event()

    def tick() -> None:
        calls.append(len(calls))
        if len(calls) == 1:
            raise RuntimeError("first tick fails")
        second.set()

    job = Periodic(name="test-periodic", interval=0.0, tick=tick)
    job.start()
    try:
        assert second.wait(timeout=10)
    finally:
        job.stop()
    assert calls[:2] == [0, 1]
    assert job.running is False


def test_periodic__stopped__can_start_again() -> None:
    ticks: list[int] = []
    ticked = threading.Event()

    def tick() -> None:
        ticks.append(1)
        ticked.set()

    job = Periodic(name="test-periodic", interval=0.0, tick=tick)
    job.start()
    assert ticked.wait(timeout=10)
    job.stop()
    assert job.running is False
    stopped_at = len(ticks)
    ticked.clear()
    job.start()
    assert job.running is True
    assert ticked.wait(timeout=10)
    job.stop()
    assert len(ticks) > stopped_at


def test_periodic__never_started__stop_is_a_no_op() -> None:
    job = Periodic(name="test-periodic", interval=60.0, tick=lambda: None)
    job.stop()
    assert job.running is False
