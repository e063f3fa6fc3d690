"""`leash serve` and `leash migrate`."""

from __future__ import annotations

import argparse
import errno
import socket
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
    migrate_ = commands.add_parser(
        "migrate",
        help="migrate the database and exit; with --from, then copy a live Unleash into it",
    )
    migrate_.add_argument("--from", dest="source", metavar="URL", help="a live Unleash's URL")
    migrate_.add_argument("--from-token", metavar="TOKEN", help="an admin token of that Unleash")
    migrate_.add_argument("--dry-run", action="store_true", help="print what would change")
    export = commands.add_parser("export", help="write the whole state to FILE (leash-state)")
    export.add_argument("file", metavar="FILE", help="a path, or - for standard output")
    export.add_argument("--segments", action="store_true", help="segments only")
    import_ = commands.add_parser("import", help="load a leash-state FILE (one transaction)")
    import_.add_argument("file", metavar="FILE", help="a path, or - for standard input")
    import_.add_argument("--dry-run", action="store_true", help="print what would change")
    args = parser.parse_args(argv)
    if args.command == "migrate" and bool(args.source) != bool(args.from_token):
        parser.error("--from and --from-token go together")

    from leash.config import Settings

    settings = _settings()
    assert isinstance(settings, Settings)

    if args.command == "serve":
        # Before anything is written: a server that cannot listen must not migrate or create
        # the first admin token either.
        _refuse_taken_port(host=settings.host, port=settings.port)

    from leash.db import migrate

    try:
        migrate(settings)
    except Exception as error:
        sys.exit(f"leash: cannot migrate the database: {error.__class__.__name__}: {error}")
    if args.command in ("migrate", "export", "import"):
        _transfer(args=args, settings=settings)
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


def _transfer(*, args: argparse.Namespace, settings: object) -> None:
    from leash.config import Settings
    from leash.transfer import commands

    assert isinstance(settings, Settings)
    problem: str | None = None
    if args.command == "export":
        commands.export_file(settings=settings, path=args.file, segments_only=args.segments)
    elif args.command == "import":
        problem = commands.import_file(settings=settings, path=args.file, dry_run=args.dry_run)
    elif args.source:
        problem = commands.migrate_from(
            settings=settings, url=args.source, token=args.from_token, dry_run=args.dry_run
        )
    else:
        print("leash: database is up to date")
    if problem:
        sys.exit(problem)


def port_problem(*, host: str, port: int) -> str | None:
    """Why `host:port` cannot be served, or None when it is free.

    granian binds its socket with SO_REUSEPORT, so a second server on a port another leash
    already serves would start silently and share the port (the kernel splits connections
    between the two, each with its own database). A probe bound without SO_REUSEPORT fails on
    a port anyone listens on, SO_REUSEPORT or not. SO_REUSEADDR keeps a port whose previous
    server just stopped (connections in TIME_WAIT) usable, as servers have it.
    """
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except (OSError, UnicodeError) as error:
        return f"cannot resolve the address {host!r}: {error}"
    shown = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    try:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
            probe.listen()
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            return (
                f"cannot serve on {shown}: the address is already in use (another leash "
                "or another program listens there); stop it or set PORT / LEASH_HOST to a "
                "free address"
            )
        return f"cannot serve on {shown}: {error.strerror or error}"
    return None


def _refuse_taken_port(*, host: str, port: int) -> None:
    problem = port_problem(host=host, port=port)
    if problem is not None:
        sys.exit(f"leash: {problem}")


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
