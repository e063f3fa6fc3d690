"""Soak: a steady mixed load against `leash serve --workers 2` on a fresh database.

    .venv/bin/python tests/reliability/soak.py --duration 600     # `make soak`: 10 minutes

SDKs polling client features with their ETag (some in inline-segment mode, some asking for
gzip), frontend evaluation with a different context on every call (GET and POST), admin writes
(segment constraints, strategy segment links, toggles, segments created and deleted) and SDK
metrics and registrations, each at a fixed rate from its own threads. Reports every error, the
resident memory (RSS) of every worker sampled through the run, and p50/p99 latency per kind;
exits 1 on any error. The database is SQLite in a temporary directory unless --database-url
names another (e.g. a fresh PostgreSQL database).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
for path in (HERE, HERE.parent):  # leash_process, and support from tests/
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import httpx  # noqa: E402
from leash_process import LeashProcess, rss_kib  # noqa: E402

from support import ADMIN, CLIENT, FRONTEND  # noqa: E402

FEATURES = "/api/admin/projects/default/features"
SEGMENTS = "/api/admin/segments"


@dataclass
class Rates:
    """Requests per second of each kind of traffic, and how many threads send it."""

    sdk_pollers: int = 6
    sdk_poll_interval: float = 0.1
    frontend_threads: int = 3
    frontend_interval: float = 0.05
    admin_interval: float = 0.5
    metrics_interval: float = 0.5


@dataclass
class Record:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    error_samples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def timed(
        self, kind: str, call: Callable[[], httpx.Response], ok: tuple[int, ...]
    ) -> httpx.Response | None:
        start = time.perf_counter()
        try:
            response = call()
        except httpx.HTTPError as error:
            self.error(kind, f"{kind}: {error.__class__.__name__}: {error}")
            return None
        elapsed = time.perf_counter() - start
        if response.status_code not in ok:
            self.error(kind, f"{kind}: {response.status_code} {response.text[:300]}")
            return None
        label = f"{kind} {response.status_code}" if kind == "client poll" else kind
        with self.lock:
            self.latencies[label].append(elapsed)
        return response

    def error(self, kind: str, message: str) -> None:
        with self.lock:
            self.errors[kind] += 1
            if len(self.error_samples) < 20:
                self.error_samples.append(message)


def constraints(rng: random.Random, *, values: int = 20) -> list[dict[str, Any]]:
    return [
        {
            "contextName": rng.choice(["userId", "appName", "environment"]),
            "operator": rng.choice(["IN", "NOT_IN"]),
            "values": sorted({f"u{rng.randrange(1000)}" for _ in range(rng.randint(1, values))}),
        }
        for _ in range(rng.randint(1, 3))
    ]


def fill(http: httpx.Client, rng: random.Random, *, segments: int, flags: int) -> dict[str, Any]:
    """A realistic state: segments shared by the strategies of many flags, most flags on."""
    segment_ids = []
    for i in range(segments):
        body = {"name": f"soak-segment-{i}", "constraints": constraints(rng, values=50)}
        response = http.post(SEGMENTS, json=body)
        response.raise_for_status()
        segment_ids.append(response.json()["id"])
    strategies: list[tuple[str, str]] = []
    for i in range(flags):
        name = f"soak-flag-{i}"
        http.post(FEATURES, json={"name": name}).raise_for_status()
        for _ in range(rng.randint(1, 3)):
            response = http.post(
                f"{FEATURES}/{name}/environments/development/strategies",
                json={
                    "name": "flexibleRollout",
                    "parameters": {
                        "rollout": str(rng.randint(10, 100)),
                        "stickiness": "default",
                        "groupId": name,
                    },
                    "constraints": constraints(rng) if rng.random() < 0.5 else [],
                    "segments": rng.sample(segment_ids, k=rng.randint(0, 2)),
                },
            )
            response.raise_for_status()
            strategies.append((name, response.json()["id"]))
        if rng.random() < 0.7:
            http.post(f"{FEATURES}/{name}/environments/development/on").raise_for_status()
    return {
        "segments": segment_ids,
        "flags": [f"soak-flag-{i}" for i in range(flags)],
        "strategies": strategies,
    }


class Load:
    def __init__(self, *, url: str, state: dict[str, Any], rates: Rates, seed: int) -> None:
        self.url = url
        self.state = state
        self.rates = rates
        self.seed = seed
        self.record = Record()
        self.stop = threading.Event()
        self.enabled: dict[str, bool] = {}

    def _paced(self, interval: float, step: Callable[[], None]) -> None:
        next_at = time.monotonic()
        while not self.stop.is_set():
            step()
            next_at += interval
            delay = next_at - time.monotonic()
            if delay > 0:
                self.stop.wait(delay)
            else:
                next_at = time.monotonic()  # behind: do not burst to catch up

    def threads(self) -> list[threading.Thread]:
        jobs: list[Callable[[], None]] = []
        jobs += [lambda i=i: self._sdk(i) for i in range(self.rates.sdk_pollers)]  # type: ignore[misc]
        jobs += [lambda i=i: self._frontend(i) for i in range(self.rates.frontend_threads)]  # type: ignore[misc]
        jobs += [self._admin, self._metrics]
        return [threading.Thread(target=job, daemon=True) for job in jobs]

    def _sdk(self, index: int) -> None:
        headers = {**CLIENT}
        if index % 2 == 0:
            headers["Unleash-Client-Spec"] = "5.0.0"  # segments sent once, not inlined
        if index % 3 == 0:
            headers["Accept-Encoding"] = "gzip"
        etag: list[str | None] = [None]
        with httpx.Client(base_url=self.url, headers=headers, timeout=30) as http:

            def poll() -> None:
                extra = {"If-None-Match": etag[0]} if etag[0] else {}
                response = self.record.timed(
                    "client poll",
                    lambda: http.get("/api/client/features", headers=extra),
                    (200, 304),
                )
                if response is not None and response.status_code == 200:
                    etag[0] = response.headers.get("etag")

            self._paced(self.rates.sdk_poll_interval, poll)

    def _frontend(self, index: int) -> None:
        rng = random.Random(self.seed * 100 + index)
        with httpx.Client(base_url=self.url, headers=FRONTEND, timeout=30) as http:

            def evaluate() -> None:
                user = f"u{rng.randrange(1000)}"
                if rng.random() < 0.5:
                    params = {
                        "userId": user,
                        "sessionId": str(rng.randrange(10**6)),
                        "properties[plan]": rng.choice(["free", "pro"]),
                    }
                    self.record.timed(
                        "frontend GET", lambda: http.get("/api/frontend", params=params), (200,)
                    )
                else:
                    context = {
                        "userId": user,
                        "appName": rng.choice(["web", "ios", "android"]),
                        "properties": {"tier": str(rng.randrange(5))},
                    }
                    self.record.timed(
                        "frontend POST",
                        lambda: http.post("/api/frontend", json={"context": context}),
                        (200,),
                    )

            self._paced(self.rates.frontend_interval, evaluate)

    def _admin(self) -> None:
        rng = random.Random(self.seed * 7)
        state = self.state
        with httpx.Client(base_url=self.url, headers=ADMIN, timeout=30) as http:
            counter = [0]

            def write() -> None:
                counter[0] += 1
                step = counter[0] % 5
                if step == 0:
                    segment = rng.choice(state["segments"])
                    body: dict[str, Any] = {
                        "name": f"soak-segment-{state['segments'].index(segment)}",
                        "constraints": constraints(rng, values=50),
                    }
                    self.record.timed(
                        "admin write",
                        lambda: http.put(f"{SEGMENTS}/{segment}", json=body),
                        (204,),
                    )
                elif step == 1:
                    flag = rng.choice(state["flags"])
                    on = not self.enabled.get(flag, True)
                    self.enabled[flag] = on
                    path = f"{FEATURES}/{flag}/environments/development/{'on' if on else 'off'}"
                    self.record.timed("admin write", lambda: http.post(path), (200,))
                elif step == 2:
                    flag, strategy = rng.choice(state["strategies"])
                    body = {
                        "name": "flexibleRollout",
                        "parameters": {
                            "rollout": str(rng.randint(10, 100)),
                            "stickiness": "default",
                            "groupId": flag,
                        },
                        "constraints": constraints(rng),
                        "segments": rng.sample(state["segments"], k=rng.randint(0, 2)),
                    }
                    path = f"{FEATURES}/{flag}/environments/development/strategies/{strategy}"
                    self.record.timed("admin write", lambda: http.put(path, json=body), (200,))
                elif step == 3:
                    # Created and deleted again: the database keeps its size, memory must too.
                    body = {"name": f"soak-scratch-{counter[0]}", "constraints": constraints(rng)}
                    created = self.record.timed(
                        "admin write", lambda: http.post(SEGMENTS, json=body), (201,)
                    )
                    if created is not None:
                        scratch = created.json()["id"]
                        self.record.timed(
                            "admin write",
                            lambda: http.delete(f"{SEGMENTS}/{scratch}"),
                            (204,),
                        )
                else:
                    self.record.timed("admin read", lambda: http.get(SEGMENTS), (200,))

            self._paced(self.rates.admin_interval, write)

    def _metrics(self) -> None:
        rng = random.Random(self.seed * 13)
        flags = self.state["flags"]
        with httpx.Client(base_url=self.url, timeout=30) as http:
            counter = [0]

            def report() -> None:
                counter[0] += 1
                now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
                instance = f"soak-{counter[0] % 20}"
                toggles = {
                    flag: {"yes": rng.randrange(100), "no": rng.randrange(100), "variants": {}}
                    for flag in rng.sample(flags, k=min(10, len(flags)))
                }
                body = {
                    "appName": "soak",
                    "instanceId": instance,
                    "bucket": {"start": now, "stop": now, "toggles": toggles},
                }
                self.record.timed(
                    "metrics",
                    lambda: http.post("/api/client/metrics", headers=CLIENT, json=body),
                    (202,),
                )
                if counter[0] % 10 == 0:
                    register = {
                        "appName": "soak",
                        "instanceId": instance,
                        "strategies": ["default", "flexibleRollout"],
                        "started": now,
                        "interval": 15000,
                    }
                    self.record.timed(
                        "metrics",
                        lambda: http.post("/api/client/register", headers=CLIENT, json=register),
                        (202,),
                    )
                    self.record.timed(
                        "metrics",
                        lambda: http.post(
                            "/api/frontend/client/metrics", headers=FRONTEND, json=body
                        ),
                        (200,),
                    )

            self._paced(self.rates.metrics_interval, report)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def run(
    *,
    duration: float,
    workers: int = 2,
    database_url: str | None = None,
    rates: Rates | None = None,
    sample_every: float = 5.0,
    seed: int = 1,
    progress: bool = False,
    segments: int = 30,
    flags: int = 60,
) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="leash-soak-"))
    url = database_url or f"sqlite:///{work}/soak.db"
    server = LeashProcess(database_url=url, log_dir=work, workers=workers)
    server.start()
    try:
        with httpx.Client(base_url=server.url, headers=ADMIN, timeout=60) as http:
            state = fill(http, random.Random(seed), segments=segments, flags=flags)
        pids = server.worker_pids()
        load = Load(url=server.url, state=state, rates=rates or Rates(), seed=seed)
        threads = load.threads()
        samples: list[dict[str, Any]] = []
        started = time.monotonic()
        for thread in threads:
            thread.start()
        while True:
            elapsed = time.monotonic() - started
            samples.append({"t": round(elapsed, 1), "rss_kib": {str(p): rss_kib(p) for p in pids}})
            if progress:
                counts = sum(len(v) for v in load.record.latencies.values())
                print(
                    f"  t={elapsed:5.0f}s requests={counts} rss_kib={samples[-1]['rss_kib']}"
                    f" errors={sum(load.record.errors.values())}",
                    flush=True,
                )
            if elapsed >= duration:
                break
            load.stop.wait(min(sample_every, duration - elapsed))
        load.stop.set()
        for thread in threads:
            thread.join(timeout=60)
        total = time.monotonic() - started
        alive = server.process is not None and server.process.poll() is None
        log = server.log()
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)  # the database and log; the report keeps the tail
    return report(
        load=load,
        samples=samples,
        pids=pids,
        seconds=total,
        workers=workers,
        database=url.split(":", 1)[0],
        server_alive=alive,
        server_log=log,
    )


def report(
    *,
    load: Load,
    samples: list[dict[str, Any]],
    pids: list[int],
    seconds: float,
    workers: int,
    database: str,
    server_alive: bool,
    server_log: str,
) -> dict[str, Any]:
    latency = {}
    for kind, values in sorted(load.record.latencies.items()):
        latency[kind] = {
            "requests": len(values),
            "per_second": round(len(values) / seconds, 1),
            "p50_ms": round(percentile(values, 0.50) * 1000, 2),
            "p99_ms": round(percentile(values, 0.99) * 1000, 2),
            "max_ms": round(max(values) * 1000, 2),
        }
    memory = {}
    for pid in pids:
        series = [s["rss_kib"][str(pid)] for s in samples if s["rss_kib"].get(str(pid))]
        if not series:
            continue
        memory[str(pid)] = {
            "start_mib": round(series[0] / 1024, 1),
            "middle_mib": round(series[len(series) // 2] / 1024, 1),
            "end_mib": round(series[-1] / 1024, 1),
            "max_mib": round(max(series) / 1024, 1),
            # After the first tenth (caches filled), growth to the end: the flatness figure.
            "growth_after_warmup_mib": round((series[-1] - series[len(series) // 10]) / 1024, 1),
        }
    return {
        "seconds": round(seconds, 1),
        "workers": workers,
        "database": database,
        "requests": sum(v["requests"] for v in latency.values()),
        "errors": dict(load.record.errors),
        "error_samples": load.record.error_samples,
        "server_alive": server_alive,
        "latency": latency,
        "memory": memory,
        "rss_samples": samples,
        "server_log_tail": server_log if load.record.errors else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=600, help="seconds (default 600)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    parser.add_argument("--output", type=Path, help="also write the full report here as JSON")
    args = parser.parse_args()
    result = run(
        duration=args.duration,
        workers=args.workers,
        database_url=args.database_url,
        progress=True,
        sample_every=10,
    )
    summary = {k: v for k, v in result.items() if k != "rss_samples"}
    print(json.dumps(summary, indent=1))
    if args.output:
        args.output.write_text(json.dumps(result, indent=1) + "\n")
    if result["errors"] or not result["server_alive"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
