"""ASGI entry point for servers: `uvicorn leash.main:app`. Reads settings from the environment."""

import os

from leash.app import create_app
from leash.cli import SUPERVISED_ENV
from leash.config import Settings


def _die_with_supervisor() -> None:
    """A worker must not outlive its supervisor: after a `kill -9` of `leash serve` an orphan
    would go on serving, holding the port, outside any process manager's view."""
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):
        return  # not Linux: nothing to ask the kernel for
    if os.getppid() == 1:
        os._exit(1)  # the supervisor died before we asked


if os.environ.get(SUPERVISED_ENV) == "1":
    _die_with_supervisor()

app = create_app(Settings())
