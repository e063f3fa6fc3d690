"""The CLI's transfer commands: `leash export`, `leash import`, `leash migrate --from`.

Each takes the settings (DATABASE_URL names the database) and returns the process's exit text
or None; cli.py only parses arguments.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import orjson
from sqlalchemy import Connection, select

from leash.config import Settings
from leash.db import create_db_engine
from leash.tokens import service as tokens_service
from leash.tokens.models import api_tokens
from leash.transfer import state as st
from leash.transfer.export import export_state
from leash.transfer.load import Progress, load_state
from leash.transfer.report import Report
from leash.transfer.unleash import SourceError, read_unleash
from leash.users import resets


def export_file(*, settings: Settings, path: str, segments_only: bool) -> None:
    engine = create_db_engine(settings.database_url, pool_size=1)
    try:
        with engine.connect() as conn, conn.begin():
            state = export_state(conn, segments_only=segments_only)
    finally:
        engine.dispose()
    data = orjson.dumps(state, option=orjson.OPT_INDENT_2) + b"\n"
    if path == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    Path(path).write_bytes(data)
    counts = st.counts(state)
    shown = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)
    print(f"leash: exported to {path}: {shown or 'nothing'}", file=sys.stderr)


def read_state(path: str) -> st.State:
    if path == "-":
        data = sys.stdin.buffer.read(st.MAX_BYTES + 1)
    else:
        file = Path(path)
        if file.stat().st_size > st.MAX_BYTES:
            raise st.StateError(f"{path}: larger than {st.MAX_BYTES} bytes")
        data = file.read_bytes()
    if len(data) > st.MAX_BYTES:
        raise st.StateError(f"{path}: larger than {st.MAX_BYTES} bytes")
    try:
        document: Any = orjson.loads(data)
    except orjson.JSONDecodeError as error:
        raise st.StateError(f"{path}: not JSON: {error}") from error
    return st.check(document)


def apply_state(
    *,
    settings: Settings,
    state: st.State,
    dry_run: bool,
    report: Report | None = None,
    before: Callable[[Connection, st.State, Report], None] | None = None,
    after: Callable[[Connection, Report], None] | None = None,
) -> Report:
    """Load `state` in one transaction (rolled back on a dry run); `after(conn, report)` runs
    in the same transaction, for what must be written with it (reset links)."""
    engine = create_db_engine(settings.database_url, pool_size=1)
    try:
        with engine.connect() as conn:
            transaction = conn.begin()
            report = report if report is not None else Report()
            try:
                if before is not None:
                    before(conn, state, report)
                with progress_bar(state) as progress:
                    report = load_state(conn, state=state, report=report, progress=progress)
                if after is not None:
                    after(conn, report)
            except BaseException:
                transaction.rollback()
                raise
            if dry_run:
                transaction.rollback()
            else:
                transaction.commit()
    finally:
        engine.dispose()
    return report


class progress_bar:
    """A tqdm bar over everything the state holds, on a terminal only."""

    def __init__(self, state: st.State) -> None:
        sizes = [len(state[s]) for s in st.SECTIONS]  # type: ignore[literal-required]
        self.total = sum(sizes)
        self.bar: Any = None

    def __enter__(self) -> Progress:
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=self.total, unit="item", file=sys.stderr, leave=False)

        def step(kind: str, n: int) -> None:
            if self.bar is not None:
                self.bar.set_description(kind)
                self.bar.update(n)

        return step

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()


def import_file(*, settings: Settings, path: str, dry_run: bool) -> str | None:
    try:
        state = read_state(path)
    except (OSError, st.StateError) as error:
        return f"leash: cannot import {path}: {error}"
    try:
        report = apply_state(settings=settings, state=state, dry_run=dry_run)
    except st.StateError as error:
        return f"leash: cannot import {path} (nothing was written): {error}"
    print(report.render(dry_run=dry_run))
    return None


def migrate_from(
    *,
    settings: Settings,
    url: str,
    token: str,
    dry_run: bool,
    transport: httpx.BaseTransport | None = None,
) -> str | None:
    """Read the Unleash at `url` (GET only) and load what it holds, in one transaction."""
    report = Report()
    try:
        with (
            httpx.Client(
                base_url=url.rstrip("/"), timeout=30, follow_redirects=False, transport=transport
            ) as http,
            flag_bar() as step,
        ):
            state, report = read_unleash(http=http, token=token, report=report, progress=step)
    except SourceError as error:
        return f"leash: cannot read {url} (nothing was written): {error}"
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        return (
            f"leash: cannot read {url} (nothing was written): an answer is not shaped as "
            f"Unleash 7.x/8.x answers: {error.__class__.__name__}: {error}"
        )
    try:
        report = apply_state(
            settings=settings,
            state=state,
            dry_run=dry_run,
            report=report,
            before=_new_token_secrets,
            after=lambda conn, done: _reset_links(conn, report=done, settings=settings),
        )
    except st.StateError as error:
        return f"leash: cannot load what {url} holds (nothing was written): {error}"
    print(report.render(dry_run=dry_run))
    return None


class flag_bar:
    """A tqdm spinner over the flags read, on a terminal only."""

    def __init__(self) -> None:
        self.bar: Any = None

    def __enter__(self) -> Callable[[str], None]:
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(unit="flag", desc="reading flags", file=sys.stderr, leave=False)

        def step(name: str) -> None:
            if self.bar is not None:
                self.bar.update(1)

        return step

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()


def _new_token_secrets(conn: Connection, state: st.State, report: Report) -> None:
    """Tokens whose secret the source keeps hidden get new secrets, printed once; one already
    made by an earlier run (same name, type, environment, projects) is kept."""
    for token in state["apiTokens"]:
        if token.get("secret") or token.get("secretHash"):
            continue
        existing = conn.execute(
            select(
                api_tokens.c.secret_hash, api_tokens.c.display_prefix, api_tokens.c.projects
            ).where(
                api_tokens.c.token_name == token["tokenName"],
                api_tokens.c.type == token["type"],
                api_tokens.c.environment == token["environment"],
            )
        ).all()
        match = [row for row in existing if list(row.projects) == list(token["projects"])]
        if match:
            token["secretHash"] = match[0].secret_hash
            token["displayPrefix"] = match[0].display_prefix
            continue
        secret = tokens_service.new_secret(
            projects=list(token["projects"]), environment=token["environment"]
        )
        token["secret"] = secret
        report.skip(
            f"secret of API token {token['tokenName']!r}",
            "the source keeps it only hashed (a secure token); a new secret is made",
        )
        report.printed_once.append(f"API token {token['tokenName']!r} (new secret): {secret}")


def _reset_links(conn: Connection, *, report: Report, settings: Settings) -> None:
    for name in report.created_without_email:
        report.skip(
            f"reset link for user {name!r}",
            "the user has no email (set one, then send a reset link)",
        )
    for email in report.created_users:
        link = resets.create_link(
            conn, email=email, created_by="leash migrate", unleash_url=settings.unleash_url
        )
        report.printed_once.append(f"reset link for {email}: {link}")
