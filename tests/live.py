"""A real leash HTTP server on a free port, in a background thread, for real SDK clients."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import uvicorn
from starlette.types import ASGIApp

from leash.app import create_app
from leash.config import Settings


@contextmanager
def live_server(
    settings: Settings, *, wrap: Callable[[ASGIApp], ASGIApp] | None = None
) -> Iterator[str]:
    """Serve leash until the block ends; yields the base URL, e.g. http://127.0.0.1:41234.

    `wrap` puts an ASGI app of the test's own around leash (e.g. to record requests)."""
    app: ASGIApp = create_app(settings)
    if wrap is not None:
        app = wrap(app)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    started = threading.Event()
    # uvicorn flips `started` once sockets are bound; poll it without sleeping for timing.
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("leash test server failed to start")
        started.wait(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
