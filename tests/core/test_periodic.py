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


def test_periodic__stop__runs_on_stop_after_the_last_tick_and_can_start_again() -> None:
    order: list[str] = []
    ticked = threading.Event()

    def tick() -> None:
        order.append("tick")
        ticked.set()

    job = Periodic(
        name="test-periodic", interval=0.0, tick=tick, on_stop=lambda: order.append("stop")
    )
    job.start()
    assert ticked.wait(timeout=10)
    job.stop()
    assert order[-1] == "stop"
    assert set(order[:-1]) == {"tick"}
    ticked.clear()
    job.start()
    assert ticked.wait(timeout=10)
    job.stop()
    assert order.count("stop") == 2


def test_periodic__never_started__stop_still_runs_on_stop() -> None:
    flushed: list[bool] = []
    Periodic(
        name="test-periodic", interval=60.0, tick=lambda: None, on_stop=lambda: flushed.append(True)
    ).stop()
    assert flushed == [True]
