"""The one way a route writes: a unit of work that commits, with its event, then refreshes SDKs.

`unit_of_work` opens the transaction; the services record the change's event (and change-log
rows) in it; on success it commits and then tells the SDK views (`app.state.changed`), so the
author reads the write back and other processes learn of it from the log. `guard` makes the
rule code: inside a route handler, a statement that writes outside a unit of work raises
`UnguardedWrite`, and a unit of work that changed rows SDKs see without an event or a change-log
row raises `UnrecordedWrite` (so it rolls back). The hostile-route, fuzz and API tests run every
route under the guard.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Final

from sqlalchemy import Connection, Engine, event

from leash.errors import UnguardedWrite, UnrecordedWrite

# Set while a route handler runs (leash.api.call.serve), in its thread.
IN_HANDLER: ContextVar[bool] = ContextVar("leash_in_handler", default=False)

_OPEN: Final = "leash.write.open"
_WRITES: Final = "leash.write.rows"
_RECORDED: Final = "leash.write.recorded"
_EVENT_IDS: Final = "leash.write.event_ids"
_WRITING: Final = ("INSERT", "UPDATE", "DELETE", "REPLACE")
# Writing either of these tables is what tells the audit log and other processes of a change.
_RECORDS: Final = ("INSERT INTO EVENTS", "INSERT INTO CHANGES")


@contextmanager
def unit_of_work(state: Any, *, refresh: bool) -> Iterator[Connection]:
    """A transaction on `state.db`; committed at the end, then `state.changed()` if `refresh`
    (a write that changes what SDKs see: flags, strategies, segments, tokens)."""
    engine: Engine = state.db
    with engine.begin() as conn:
        info = conn.info
        info[_OPEN], info[_WRITES], info[_RECORDED], info[_EVENT_IDS] = True, 0, False, []
        try:
            yield conn
            wrote = info[_WRITES] > 0
            if refresh and wrote and not info[_RECORDED]:
                raise UnrecordedWrite("This change wrote no event and no change-log row.")
            event_ids: list[int] = info[_EVENT_IDS]
        finally:
            # `info` lives with the pooled connection: nothing may leak into its next use.
            for key in (_OPEN, _WRITES, _RECORDED, _EVENT_IDS):
                info.pop(key, None)
    # Committed: the events are handed on (integrations deliver them; listeners never block).
    if event_ids:
        for listener in state.event_listeners:
            listener(event_ids)
    # A write that was refused (or changed nothing) before its first statement rebuilds nothing.
    if refresh and wrote:
        state.changed()


def note_event(conn: Connection, *, event_id: int) -> None:
    """Remember an event written in this unit of work, to hand on once it commits."""
    ids = conn.info.get(_EVENT_IDS)
    if ids is not None:
        ids.append(event_id)


def guard(engine: Engine) -> None:
    """Watch every statement `engine` runs (see the module docstring)."""
    event.listen(engine, "before_cursor_execute", _watch)


def _watch(
    conn: Connection,
    cursor: Any,
    statement: str,
    parameters: Any,
    context: Any,
    executemany: bool,
) -> None:
    head = statement.lstrip()[:24].upper()
    if not head.startswith(_WRITING):
        return
    info = conn.info
    if not info.get(_OPEN):
        if IN_HANDLER.get():
            raise UnguardedWrite(f"A route wrote outside a unit of work: {head.split()[0]}.")
        return
    info[_WRITES] += 1
    if head.startswith(_RECORDS):
        info[_RECORDED] = True
