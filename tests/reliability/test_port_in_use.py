"""`leash serve` on a port something else listens on exits with a clear message instead of
starting: granian's SO_REUSEPORT would otherwise let two servers (two databases) share it."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from leash_process import LeashProcess

pytestmark = [pytest.mark.slow]

# A generous bound on how long a refusing `leash serve` takes: it only probes the port.
EXIT_WITHIN_SECONDS = 60


def _listening(*, reuse_port: bool) -> socket.socket:
    sock = socket.socket()
    if reuse_port:
        # As granian binds: what a second granian could join silently.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


@pytest.fixture(params=[False, True], ids=["plain", "reuseport"])
def taken_port(request: pytest.FixtureRequest) -> Iterator[int]:
    with _listening(reuse_port=request.param) as sock:
        yield int(sock.getsockname()[1])


def _serve(tmp_path: Path, port: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "leash.cli", "serve"],
        cwd=tmp_path,
        env={
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": f"sqlite:///{tmp_path}/leash.db",
            "PORT": str(port),
        },
        capture_output=True,
        text=True,
        timeout=EXIT_WITHIN_SECONDS,
    )


def _message(port: int) -> str:
    return (
        f"leash: cannot serve on 127.0.0.1:{port}: the address is already in use (another "
        "leash or another program listens there); stop it or set PORT / LEASH_HOST to a free "
        "address\n"
    )


def test_serve__port_taken_by_a_listening_socket__exits_naming_address(
    tmp_path: Path, taken_port: int
) -> None:
    result = _serve(tmp_path, taken_port)
    assert (result.returncode, result.stderr, result.stdout) == (1, _message(taken_port), "")
    # Refused before migrating: nothing was written.
    assert not (tmp_path / "leash.db").exists()


def test_serve__port_served_by_another_leash__exits_and_first_keeps_serving(
    tmp_path: Path,
) -> None:
    first = LeashProcess(database_url=f"sqlite:///{tmp_path}/first.db", log_dir=tmp_path)
    first.start()
    try:
        result = _serve(tmp_path, first.port)
        assert (result.returncode, result.stderr) == (1, _message(first.port))

        assert httpx.get(f"{first.url}/health", timeout=10).status_code == 200
    finally:
        first.stop()


def test_serve__port_free_again_after_a_server_stopped__starts(tmp_path: Path) -> None:
    # SO_REUSEADDR in the probe: connections left in TIME_WAIT do not hold the port.
    first = LeashProcess(database_url=f"sqlite:///{tmp_path}/leash.db", log_dir=tmp_path)
    first.start()

    assert httpx.get(f"{first.url}/health", timeout=10).status_code == 200
    first.stop()
    first.start()
    try:
        assert httpx.get(f"{first.url}/health", timeout=10).status_code == 200
    finally:
        first.stop()
