"""Change marks: which change-log ids a view has applied, what the log says changed since, and
whether that reach is small enough to reload only what it names."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from leash import changelog

# More changes than this since the served view: reading everything is about as quick.
MAX_INCREMENTAL_FLAGS = 500
MAX_INCREMENTAL_SEGMENTS = 100


@dataclass(frozen=True)
class ChangeMark:
    """The change-log ids a view has applied: the top, and every id of the window below it."""

    top: int
    ids: frozenset[int]

    @property
    def recent(self) -> int:
        return len(self.ids)


def read_mark(
    conn: Connection, *, since: ChangeMark | None
) -> tuple[ChangeMark, list[changelog.Change] | None]:
    """The change log as it is now, and the changes not in `since` (None: unknown, as when
    there is no `since` or the log went backwards)."""
    if since is None:
        top, _ = changelog.top_and_recent(conn)
        above = top - changelog.WINDOW
    else:
        above = since.top - changelog.WINDOW
    rows = changelog.read_window(conn, above=above)
    top = max([since.top if since is not None else 0, *(row.id for row in rows)])
    ids = frozenset(row.id for row in rows if row.id > top - changelog.WINDOW)
    mark = ChangeMark(top, ids)
    if since is None:
        return mark, None
    fresh = [row for row in rows if row.id not in since.ids]
    if rows and max(row.id for row in rows) < since.top:
        return mark, None  # ids went backwards: not the log this view was built from
    return mark, fresh


@dataclass(frozen=True)
class Reach:
    """The flags and segments some changes name: all a rebuild needs to reload."""

    flags: frozenset[str]
    segment_ids: frozenset[int]


def reach(fresh: list[changelog.Change] | None, *, write: bool) -> Reach | None:
    """What the `fresh` changes reach; None when it is unknown (reload everything then): no
    changes known, a change naming nothing, a write in this process that logged nothing, or
    more flags or segments than reloading them one by one is worth."""
    flags: set[str] = set()
    segment_ids: set[int] = set()
    full = False
    for change in fresh or ():
        if change.feature_name is not None:
            flags.add(change.feature_name)
        if change.segment_id is not None:
            segment_ids.add(change.segment_id)
        if change.feature_name is None and change.segment_id is None:
            full = True  # a change of unknown reach
    if (
        full
        or fresh is None
        or (write and not fresh)
        or len(flags) > MAX_INCREMENTAL_FLAGS
        or len(segment_ids) > MAX_INCREMENTAL_SEGMENTS
    ):
        return None
    return Reach(frozenset(flags), frozenset(segment_ids))
