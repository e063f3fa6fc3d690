"""`leash serve` and `leash migrate`."""

from __future__ import annotations

import argparse
import sys

from pydantic import ValidationError

SERVERS = ("uvicorn", "granian")
DEFAULT_SERVER = "granian"
SUPERVISED_ENV = "LEASH_SUPERVISED_WORKER"


def _settings() -> object:
    from leash.config import Settings

    try:
        return Settings()
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']).upper() or 'settings'}: {e['msg']}"
            for e in error.errors()
        )
        sys.exit(f"leash: bad configuration: {problems}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="leash", description="Feature flags, Unleash API.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="migrate the database and serve the API")
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument(
        "--server",
        choices=SERVERS,
        default=DEFAULT_SERVER,
        help=f"HTTP server (default {DEFAULT_SERVER}, chosen by measurement: BENCHMARKS.md)",
    )
    commands.add_parser("migrate", help="migrate the database and exit")
    args = parser.parse_args(argv)

    from leash.config import Settings

    settings = _settings()
    assert isinstance(settings, Settings)

    from leash.db import migrate

    try:
        migrate(settings)
    except Exception as error:
        sys.exit(f"leash: cannot migrate the database: {error.__class__.__name__}: {error}")
    if args.command == "migrate":
        print("leash: database is up to date")
        return
    _first_admin_token(settings)
    print(f"leash: serving on http://{settings.host}:{settings.port}", flush=True)
    if args.server == "granian":
        _serve_granian(host=settings.host, port=settings.port, workers=args.workers)
        return
    import uvicorn

    uvicorn.run(
        "leash.main:app",
        host=settings.host,
        port=settings.port,
        workers=args.workers,
        log_level="warning",
        factory=False,
    )


def _serve_granian(*, host: str, port: int, workers: int) -> None:
    import os

    from granian import Granian
    from granian.constants import Interfaces, Loops
    from granian.log import LogLevels

    # Inherited by the workers: they ask the kernel to end them with this process.
    os.environ[SUPERVISED_ENV] = "1"
    Granian(
        "leash.main:app",
        address=host,
        port=port,
        interface=Interfaces.ASGI,
        workers=workers,
        loop=Loops.uvloop,
        log_level=LogLevels.warning,
    ).serve()


def _first_admin_token(settings: object) -> None:
    from leash.config import Settings
    from leash.db import create_db_engine
    from leash.tokens import service

    assert isinstance(settings, Settings)
    if settings.init_admin_api_tokens:
        return
    engine = create_db_engine(settings.database_url, pool_size=1)
    try:
        with engine.begin() as conn:
            secret = service.create_first_admin_token_if_none(conn)
    finally:
        engine.dispose()
    if secret:
        print(
            "leash: created an admin API token (shown only this once):\n\n"
            f"    {secret}\n\n"
            "Use it as the Authorization header of admin API calls.",
            flush=True,
        )


if __name__ == "__main__":
    main()
