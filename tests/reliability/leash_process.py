"""Real processes that reliability tests kill, stop and restart: `leash serve` and a private
PostgreSQL of our own (the machine's shared PostgreSQL is never stopped)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from support import ADMIN_SECRET, CLIENT_SECRET, FRONTEND_SECRET, free_port


def _tail(path: Path, *, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class LeashProcess:
    """`leash serve` as an operator runs it, configured only through the environment."""

    def __init__(
        self,
        *,
        database_url: str,
        log_dir: Path,
        workers: int = 1,
        env: dict[str, str] | None = None,
    ) -> None:
        self.database_url = database_url
        self.workers = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_dir / f"leash-{self.port}.log"
        self.extra_env = env or {}
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self, *, timeout: float = 90.0) -> None:
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "PORT": str(self.port),
            "INIT_ADMIN_API_TOKENS": ADMIN_SECRET,
            "INIT_CLIENT_API_TOKENS": CLIENT_SECRET,
            "INIT_FRONTEND_API_TOKENS": FRONTEND_SECRET,
            **self.extra_env,
        }
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "leash.cli", "serve", "--workers", str(self.workers)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own process group: with several workers, a kill reaches every one of them.
            start_new_session=True,
        )
        log.close()
        self.starts += 1
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"leash exited with {self.process.returncode}:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)  # polling interval while it starts, not a timing assumption
        self.kill()
        raise RuntimeError(f"leash did not answer /health within {timeout}s:\n{self.log()}")

    def kill(self) -> None:
        """kill -9: no shutdown handler, no flush, no rollback from our side."""
        self._signal(signal.SIGKILL)

    def stop(self) -> None:
        self._signal(signal.SIGTERM, grace=30)

    def _signal(self, sig: signal.Signals, *, grace: float = 10) -> None:
        process = self.process
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        self.process = None

    def worker_pids(self) -> list[int]:
        """The processes that serve requests: the uvicorn workers, or the server itself."""
        if self.process is None:
            return []
        children = _children(self.process.pid)
        return children if self.workers > 1 and children else [self.process.pid]

    def log(self) -> str:
        return _tail(self.log_path)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    # uvicorn's supervisor also starts multiprocessing's resource tracker, which serves nothing.
    return [p for p in found if "resource_tracker" not in _cmdline(p)]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def postgres_bindir() -> Path | None:
    """The machine's PostgreSQL server binaries (Debian keeps them off PATH)."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if candidates:
        return candidates[-1].parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


class PrivatePostgres:
    """A throw-away PostgreSQL cluster on a free port, which tests may stop and start at will."""

    def __init__(self) -> None:
        bindir = postgres_bindir()
        if bindir is None:
            raise RuntimeError("no PostgreSQL server binaries (initdb, pg_ctl) on this machine")
        self.bindir = bindir
        self.port = free_port()
        # Not under pytest's tmp dirs: those are private to root, and initdb will not run as root.
        self.root = Path(tempfile.mkdtemp(prefix="leash-private-pg-"))
        self.data = self.root / "data"
        self.log_path = self.root / "postgres.log"
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            shutil.chown(self.root, user="postgres", group="postgres")
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
            "--no-instructions",
        )

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bindir / tool), *args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, cwd=self.root)
        if result.returncode != 0:
            raise RuntimeError(
                f"{tool} failed: {result.stdout}\n{result.stderr}\n{_tail(self.log_path)}"
            )

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off "
            "-c max_connections=100"
        )
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log_path), "-o", options, "-w", "start"
        )

    def stop(self) -> None:
        # Fast shutdown: open sessions are cut, as in a failover or a restart by an operator.
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def database_url(self, name: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.database_url(name)

    def close(self) -> None:
        with contextlib.suppress(RuntimeError):  # already stopped
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)
