"""Measure leash (and optionally the reference Unleash, in the same run) with wrk.

    python bench/run.py [--reference http://127.0.0.1:4243] [--duration 10] [--workers 2]

Starts its own leash on a fresh database, fills both servers with the identical workload
(bench/workload.py) through their admin APIs, then measures for a fixed time each:
client features 200 (small and large payloads), 304 with If-None-Match, frontend evaluation
with a context that changes on every request, and admin write latency. Prints a table and the
leash/reference ratios, and writes bench/results.json.
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
from workload import LARGE, SMALL, fill  # noqa: E402

ADMIN = "*:*.admin-secret"
CLIENT = "*:development.client-secret"
FRONTEND = "*:development.frontend-secret"
HERE = Path(__file__).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_leash(*, workers: int, database_url: str | None) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    data = tempfile.mkdtemp(prefix="leash-bench-")
    env = {
        **os.environ,
        "PORT": str(port),
        "DATABASE_URL": database_url or f"sqlite:///{data}/bench.db",
        "INIT_ADMIN_API_TOKENS": ADMIN,
        "INIT_CLIENT_API_TOKENS": CLIENT,
        "INIT_FRONTEND_API_TOKENS": FRONTEND,
    }
    leash = Path(sys.executable).parent / "leash"
    process = subprocess.Popen(
        [str(leash), "serve", "--workers", str(workers)], env=env, start_new_session=True
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


def measure(url: str, *, args: argparse.Namespace, label: str) -> dict[str, Any]:
    results: dict[str, Any] = {}
    load = {"duration": args.duration, "connections": args.connections, "threads": args.threads}
    client = {"Authorization": CLIENT, "Unleash-Client-Spec": "5.0.0"}
    fill(base_url=url, admin_token=ADMIN, size=SMALL, prefix="small")
    time.sleep(2)  # Unleash refreshes its client cache about once a second
    small = httpx.get(f"{url}/api/client/features", headers=client)
    results["payload_small_bytes"] = len(small.content)
    results["client_200_small"] = wrk(f"{url}/api/client/features", headers=client, **load)
    fill(base_url=url, admin_token=ADMIN, size=LARGE, prefix="large")
    time.sleep(2)
    large = httpx.get(f"{url}/api/client/features", headers=client)
    results["payload_large_bytes"] = len(large.content)
    results["client_200_large"] = wrk(f"{url}/api/client/features", headers=client, **load)
    etag = large.headers["etag"]
    results["client_304"] = wrk(
        f"{url}/api/client/features", headers={**client, "If-None-Match": etag}, **load
    )
    results["frontend_varied"] = wrk(
        f"{url}/api/frontend", headers={"Authorization": FRONTEND}, script=HERE / "frontend.lua", **load
    )
    results["admin_writes"] = admin_latency(url, rounds=args.admin_rounds)
    print(f"{label}: {json.dumps(results, indent=1)}", flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reference", help="URL of a running reference Unleash (fresh database)")
    parser.add_argument("--leash-url", help="measure this running leash instead of starting one")
    parser.add_argument("--database-url", help="DATABASE_URL for the leash it starts")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--admin-rounds", type=int, default=200)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: run `make bench` (it installs wrk)")
    process = None
    url = args.leash_url
    if url is None:
        process, url = start_leash(workers=args.workers, database_url=args.database_url)
    try:
        report: dict[str, Any] = {"leash": measure(url, args=args, label="leash")}
    finally:
        if process is not None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    if args.reference:
        report["reference"] = measure(args.reference, args=args, label="reference")
        ratios = {}
        for key in ("client_200_small", "client_200_large", "client_304", "frontend_varied"):
            ratios[key] = round(report["leash"][key]["rps"] / report["reference"][key]["rps"], 2)
        report["ratios"] = ratios
        print("ratios leash/reference (requests/s):", json.dumps(ratios), flush=True)
    (HERE / "results.json").write_text(json.dumps(report, indent=1) + "\n")


if __name__ == "__main__":
    main()
