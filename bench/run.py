"""Measure leash (and optionally the reference Unleash, in the same run) with wrk.

    python bench/run.py [--reference http://127.0.0.1:4244] [--duration 10] [--workers 2]
                        [--server granian|uvicorn] [--database-url postgresql://...] [--scale]

Starts its own leash (`leash serve --workers N`) on a fresh database, fills both servers with
the identical workload (bench/workload.py) through their admin APIs, then measures for a fixed
time each: client features 200 (small and large payloads, identity and gzip), 304 with
If-None-Match, frontend evaluation with a context that changes on every request, admin write
latency, and the time from a write to the served snapshot showing it. With --scale it then
starts a fresh leash (and, with --scale-reference, a fresh reference) for 5,000 flags and 300
segments of 1,000 values: resident memory per worker, write→snapshot, and the same loads.
Prints a table and the leash/reference ratios, and writes bench/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from workload import HUGE, LARGE, SMALL, fill

ADMIN = "*:*.admin-secret"
CLIENT = "*:development.client-secret"
FRONTEND = "*:development.frontend-secret"
HERE = Path(__file__).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fresh_database(base_url: str | None) -> str | None:
    """A new empty PostgreSQL database next to `base_url` (None: leash's own SQLite file)."""
    if base_url is None or base_url.startswith("sqlite"):
        return base_url
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(base_url.replace("postgres://", "postgresql://", 1))
    name = f"leash_bench_{int(time.time() * 1000)}"
    admin = url.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]
    return url.set(database=name).render_as_string(hide_password=False)


def start_leash(
    *, workers: int, server: str, database_url: str | None
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    data = tempfile.mkdtemp(prefix="leash-bench-")
    env = {
        **os.environ,
        "PORT": str(port),
        "DATABASE_URL": fresh_database(database_url) or f"sqlite:///{data}/bench.db",
        "INIT_ADMIN_API_TOKENS": ADMIN,
        "INIT_CLIENT_API_TOKENS": CLIENT,
        "INIT_FRONTEND_API_TOKENS": FRONTEND,
    }
    leash = Path(sys.executable).parent / "leash"
    process = subprocess.Popen(
        [str(leash), "serve", "--workers", str(workers), "--server", server],
        env=env,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit("leash did not start")


def stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


def resident_mb(root_pid: int) -> dict[str, Any]:
    """VmRSS of a server's processes: the supervisor and each worker (its children)."""

    def rss(pid: int) -> float:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
        return 0.0

    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == root_pid:
            children.append(int(stat.parent.name))
    workers = sorted(rss(pid) for pid in children) if children else [rss(root_pid)]
    return {"supervisor_mb": rss(root_pid) if children else None, "workers_mb": workers}


def wrk(
    url: str, *, headers: dict[str, str], duration: int, connections: int, threads: int,
    script: Path | None = None,
) -> dict[str, Any]:
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s", "--latency"]
    for key, value in headers.items():
        command += ["-H", f"{key}: {value}"]
    if script is not None:
        command += ["-s", str(script)]
    command.append(url)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors:.*", output)
    latency = {m.group(1): m.group(2) for m in re.finditer(r"\s+(50|99)%\s+([\d.]+\w+)", output)}
    return {
        "rps": rps,
        "p50": latency.get("50"),
        "p99": latency.get("99"),
        "non_2xx_3xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": errors.group(0) if errors else None,
        "command": " ".join(f"'{c}'" if " " in c else c for c in command),
    }


def admin_latency(url: str, *, rounds: int) -> dict[str, Any]:
    timings: dict[str, list[float]] = {"create": [], "update": []}
    with httpx.Client(base_url=url, headers={"Authorization": ADMIN}, timeout=30) as http:
        stamp = int(time.time() * 1000)
        for i in range(rounds):
            name = f"lat-{stamp}-{i}"
            body = {"name": name, "constraints": [
                {"contextName": "userId", "operator": "IN", "values": [f"u{j}" for j in range(50)]}
            ]}
            start = time.perf_counter()
            response = http.post("/api/admin/segments", json=body)
            timings["create"].append(time.perf_counter() - start)
            response.raise_for_status()
            segment_id = response.json()["id"]
            body["description"] = "updated"
            start = time.perf_counter()
            http.put(f"/api/admin/segments/{segment_id}", json=body).raise_for_status()
            timings["update"].append(time.perf_counter() - start)
    result = {}
    for kind, values in timings.items():
        values.sort()
        result[kind] = {
            "p50_ms": round(statistics.median(values) * 1000, 2),
            "p99_ms": round(values[min(len(values) - 1, int(len(values) * 0.99))] * 1000, 2),
        }
    return result


def write_to_snapshot(url: str, *, flags: list[str], rounds: int) -> dict[str, Any]:
    """Switch a flag through the admin API and poll the client API until it is served.

    `first_ms`: from sending the write to the first poll answering the new body. `all_ms`: until
    8 polls in a row on fresh connections (so on any worker) answered it.
    """
    client = {"Authorization": CLIENT, "Unleash-Client-Spec": "5.0.0", "Connection": "close"}
    admin = {"Authorization": ADMIN}
    first: list[float] = []
    every: list[float] = []
    with httpx.Client(base_url=url, timeout=60) as http:
        etag = http.get("/api/client/features", headers=client).headers["etag"]
        for i in range(rounds):
            flag = flags[i % len(flags)]
            state = "off" if (i // len(flags)) % 2 == 0 else "on"
            path = f"/api/admin/projects/default/features/{flag}/environments/development/{state}"
            start = time.perf_counter()
            http.post(path, headers=admin).raise_for_status()
            seen: float | None = None
            streak = 0
            while streak < 8:
                polled = {**client, "If-None-Match": etag}
                response = http.get("/api/client/features", headers=polled)
                if response.status_code == 200:
                    seen = seen or time.perf_counter()
                    streak += 1
                    new_etag = response.headers["etag"]
                else:
                    streak = 0
                if time.perf_counter() - start > 30:
                    raise SystemExit(f"{url}: write not served after 30 s")
            first.append((seen or 0) - start)
            every.append(time.perf_counter() - start)
            etag = new_etag
    return {"rounds": rounds, "first_ms": percentiles(first), "all_ms": percentiles(every)}


def percentiles(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    return {
        "p50": round(statistics.median(values) * 1000, 1),
        "p90": round(values[min(len(values) - 1, int(len(values) * 0.9))] * 1000, 1),
        "max": round(values[-1] * 1000, 1),
    }


def loads(
    url: str, *, args: argparse.Namespace, results: dict[str, Any], suffix: str = ""
) -> None:
    load = {"duration": args.duration, "connections": args.connections, "threads": args.threads}
    client = {"Authorization": CLIENT, "Unleash-Client-Spec": "5.0.0"}
    with httpx.Client(base_url=url, timeout=60) as http:
        body = http.get("/api/client/features", headers=client)
        gzipped = http.get(
            "/api/client/features", headers={**client, "Accept-Encoding": "gzip"}
        )
    results[f"payload{suffix}_bytes"] = len(body.content)
    results[f"payload{suffix}_gzip_bytes"] = int(gzipped.headers.get("content-length", 0)) or None
    features = f"{url}/api/client/features"
    results[f"client_200{suffix}"] = wrk(features, headers=client, **load)
    results[f"client_200{suffix}_gzip"] = wrk(
        features, headers={**client, "Accept-Encoding": "gzip"}, **load
    )
    etag = body.headers["etag"]
    not_modified = {**client, "If-None-Match": etag}
    results[f"client_304{suffix}"] = wrk(features, headers=not_modified, **load)
    results[f"frontend_varied{suffix}"] = wrk(
        f"{url}/api/frontend", headers={"Authorization": FRONTEND},
        script=HERE / "frontend.lua", **load,
    )  # fmt: skip


def measure(url: str, *, args: argparse.Namespace, label: str, pid: int | None) -> dict[str, Any]:
    results: dict[str, Any] = {}
    load = {"duration": args.duration, "connections": args.connections, "threads": args.threads}
    client = {"Authorization": CLIENT, "Unleash-Client-Spec": "5.0.0"}
    fill(base_url=url, admin_token=ADMIN, size=SMALL, prefix="small")
    time.sleep(2)  # Unleash refreshes its client cache about once a second
    small = httpx.get(f"{url}/api/client/features", headers=client)
    results["payload_small_bytes"] = len(small.content)
    results["client_200_small"] = wrk(f"{url}/api/client/features", headers=client, **load)
    started = time.perf_counter()
    fill(base_url=url, admin_token=ADMIN, size=LARGE, prefix="large")
    results["fill_large_s"] = round(time.perf_counter() - started, 1)
    time.sleep(2)
    loads(url, args=args, results=results, suffix="_large")
    results["admin_writes"] = admin_latency(url, rounds=args.admin_rounds)
    flags = [f"large-flag-{i}" for i in range(0, 60, 3)]
    results["write_to_snapshot"] = write_to_snapshot(url, flags=flags, rounds=args.snapshot_rounds)
    if pid is not None:
        results["resident"] = resident_mb(pid)
    print(f"{label}: {json.dumps(results, indent=1)}", flush=True)
    return results


def measure_scale(
    url: str, *, args: argparse.Namespace, label: str, pid: int | None
) -> dict[str, Any]:
    results: dict[str, Any] = {"size": vars(HUGE)}
    started = time.perf_counter()
    fill(base_url=url, admin_token=ADMIN, size=HUGE, prefix="huge")
    results["fill_s"] = round(time.perf_counter() - started, 1)
    time.sleep(2)
    for _ in range(4):  # every worker renders the body once before anything is measured
        httpx.get(f"{url}/api/client/features", headers={"Authorization": CLIENT,
                  "Unleash-Client-Spec": "5.0.0", "Connection": "close"}, timeout=120)  # fmt: skip
        httpx.get(f"{url}/api/frontend", headers={"Authorization": FRONTEND,
                  "Connection": "close"}, timeout=120)  # fmt: skip
    if pid is not None:
        results["resident_after_fill"] = resident_mb(pid)
    flags = [f"huge-flag-{i}" for i in range(0, 300, 3)]
    results["write_to_snapshot"] = write_to_snapshot(url, flags=flags, rounds=args.snapshot_rounds)
    loads(url, args=args, results=results)
    if pid is not None:
        results["resident_after_load"] = resident_mb(pid)
    print(f"{label} (scale): {json.dumps(results, indent=1)}", flush=True)
    return results


RATIO_KEYS = (
    "client_200_small", "client_200_large", "client_200_large_gzip", "client_304_large",
    "frontend_varied_large",
)  # fmt: skip


def ratios(ours: dict[str, Any], theirs: dict[str, Any], keys: tuple[str, ...]) -> dict[str, float]:
    return {
        key: round(ours[key]["rps"] / theirs[key]["rps"], 2)
        for key in keys
        if key in ours and key in theirs and theirs[key]["rps"]
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reference", help="URL of a reference Unleash on an empty database")
    parser.add_argument("--leash-url", help="measure this running leash instead of starting one")
    parser.add_argument("--database-url", help="base DATABASE_URL; postgres: a fresh database each")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--server", default="granian", choices=("granian", "uvicorn"))
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--admin-rounds", type=int, default=200)
    parser.add_argument("--snapshot-rounds", type=int, default=20)
    parser.add_argument("--scale", action="store_true", help="also the 5,000-flag case")
    parser.add_argument("--scale-reference", help="reference Unleash (empty) for the scale case")
    parser.add_argument("--skip-main", action="store_true", help="only the scale case")
    parser.add_argument("--output", default=str(HERE / "results.json"))
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: run `make bench` (it installs wrk)")
    report: dict[str, Any] = {"args": vars(args), "cpus": os.cpu_count()}
    if not args.skip_main:
        process = None
        url = args.leash_url
        if url is None:
            process, url = start_leash(
                workers=args.workers, server=args.server, database_url=args.database_url
            )
        try:
            pid = process.pid if process is not None else None
            report["leash"] = measure(url, args=args, label="leash", pid=pid)
        finally:
            if process is not None:
                stop(process)
        if args.reference:
            report["reference"] = measure(args.reference, args=args, label="reference", pid=None)
            report["ratios"] = ratios(report["leash"], report["reference"], RATIO_KEYS)
            print("ratios leash/reference (requests/s):", json.dumps(report["ratios"]), flush=True)
    if args.scale:
        process, url = start_leash(
            workers=args.workers, server=args.server, database_url=args.database_url
        )
        try:
            report["leash_scale"] = measure_scale(url, args=args, label="leash", pid=process.pid)
        finally:
            stop(process)
        if args.scale_reference:
            try:
                report["reference_scale"] = measure_scale(
                    args.scale_reference, args=args, label="reference", pid=None
                )
            except (httpx.HTTPError, subprocess.CalledProcessError, SystemExit) as error:
                # Keep what was measured; say what the reference could not do.
                report["reference_scale"] = {"error": f"{error.__class__.__name__}: {error}"}
                print(f"reference (scale) failed: {error}", flush=True)
            keys = ("client_200", "client_200_gzip", "client_304", "frontend_varied")
            if "error" not in report["reference_scale"]:
                report["scale_ratios"] = ratios(
                    report["leash_scale"], report["reference_scale"], keys
                )
                print("scale ratios leash/reference:", json.dumps(report["scale_ratios"]))
    Path(args.output).write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
