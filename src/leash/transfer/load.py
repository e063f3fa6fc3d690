"""A leash-state document written into a leash database in one transaction.

Idempotent: each thing is matched by its key (names, segment ids, strategy ids, token digests,
user emails) and updated in place, so a second load of the same document changes nothing. For
each flag in the document its strategies, tags, dependencies and links are made exactly the
document's (others of that flag are removed); things the document does not name are left alone.

One change-log row naming nothing is written with the load, so every leash process serving this
database reloads in full within its next poll (leash.revision): SDKs see the new state within a
second, and no per-flag rows flood the log for a large import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, and_, delete, func, insert, select, text, update
from sqlalchemy.exc import DBAPIError
from ulid import ULID

from leash import changelog
from leash.context.models import context_fields
from leash.db.base import utcnow
from leash.errors import LeashError
from leash.features.models import (
    feature_dependencies,
    feature_environments,
    feature_strategies,
    feature_strategy_segment,
    feature_tags,
    features,
)
from leash.links import urls
from leash.links.models import feature_link
from leash.projects.models import environments, project_environments, projects
from leash.secrets import sha256
from leash.segments.models import segments
from leash.strategy_definitions.models import strategies
from leash.tags.models import tag_types, tags
from leash.tokens.models import api_tokens
from leash.transfer import state as st
from leash.transfer.report import Report
from leash.users.models import users
from leash.users.roles import ROOT_ROLE_NAMES, VIEWER_ROLE

# Longer date strings are not parsed (fromisoformat is linear, but the file is input).
MAX_DATE_LENGTH = 40

Progress = Callable[[str, int], None]


def _none(kind: str, n: int) -> None:
    return None


def _date(value: Any, *, where: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > MAX_DATE_LENGTH:
        raise st.StateError(f"{where}: not a date: {str(value)[:MAX_DATE_LENGTH]!r}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as error:
        raise st.StateError(f"{where}: not a date: {value!r}") from error
    return parsed


def _upsert(
    conn: Connection,
    *,
    table: Table,
    key: Mapping[str, Any],
    values: Mapping[str, Any],
    report: Report,
    kind: str,
) -> str:
    """Insert the row, or update it where it differs; returns the outcome."""
    where = and_(*(table.c[name] == value for name, value in key.items()))
    row = conn.execute(select(table).where(where)).mappings().first()
    if row is None:
        conn.execute(insert(table).values({**key, **values}))
        outcome = "created"
    else:
        changed = {name: value for name, value in values.items() if row[name] != value}
        if changed:
            conn.execute(update(table).where(where).values(changed))
            outcome = "updated"
        else:
            outcome = "unchanged"
    report.count(kind, outcome)
    return outcome


def _replace_set(
    conn: Connection,
    *,
    table: Table,
    scope: Mapping[str, Any],
    key_columns: tuple[str, ...],
    wanted: Iterable[Mapping[str, Any]],
    report: Report,
    kind: str,
) -> None:
    """Make the rows of `scope` exactly `wanted` (matched on key_columns)."""
    where = and_(*(table.c[name] == value for name, value in scope.items()))
    existing = {
        tuple(row[c] for c in key_columns): row
        for row in conn.execute(select(table).where(where)).mappings()
    }
    seen: set[tuple[Any, ...]] = set()
    for values in wanted:
        row_key = tuple(values[c] for c in key_columns)
        if row_key in seen:
            continue
        seen.add(row_key)
        _upsert(
            conn,
            table=table,
            key={**scope, **{c: values[c] for c in key_columns}},
            values={k: v for k, v in values.items() if k not in key_columns and k not in scope},
            report=report,
            kind=kind,
        )
    for row_key in existing.keys() - seen:
        conn.execute(
            delete(table).where(
                where, *(table.c[c] == v for c, v in zip(key_columns, row_key, strict=True))
            )
        )
        report.count(kind, "removed")


def load_state(
    conn: Connection,
    *,
    state: st.State,
    report: Report | None = None,
    progress: Progress = _none,
) -> Report:
    """Write `state` (checked by state.check) in the caller's transaction."""
    report = report if report is not None else Report()
    try:
        _load(conn, state=state, report=report, progress=progress)
    except st.StateError:
        raise
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        raise st.StateError(f"malformed entry: {error.__class__.__name__}: {error}") from error
    except DBAPIError as error:
        # A value the database refuses (too long, a missing project or environment).
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise st.StateError(f"the database refused an entry: {reason[:500]}") from error
    if report.changed():
        changelog.note(conn)
    return report


def _load(conn: Connection, *, state: st.State, report: Report, progress: Progress) -> None:
    now = utcnow()
    for env in state["environments"]:
        values: dict[str, Any] = {
            "type": env["type"],
            "enabled": bool(env.get("enabled", True)),
            "protected": bool(env.get("protected", False)),
            "sort_order": int(env.get("sortOrder", 9999)),
        }
        if _exists(conn, environments, name=env["name"]) is None:
            values["created_at"] = now
        _upsert(
            conn,
            table=environments,
            key={"name": env["name"]},
            values=values,
            report=report,
            kind="environments",
        )
        progress("environments", 1)
    for project in state["projects"]:
        _load_project(conn, project=project, report=report, now=now)
        progress("projects", 1)
    for field in state["contextFields"]:
        where = f"contextFields {field['name']!r}"
        values = {
            "description": field.get("description"),
            "sort_order": int(field.get("sortOrder", 10)),
            "legal_values": list(field.get("legalValues", [])),
            "stickiness": bool(field.get("stickiness", False)),
            "project": field.get("project"),
        }
        created = _date(field.get("createdAt"), where=where)
        if created is not None:
            values["created_at"] = created
        elif _exists(conn, context_fields, name=field["name"]) is None:
            values["created_at"] = now
        _upsert(
            conn,
            table=context_fields,
            key={"name": field["name"]},
            values=values,
            report=report,
            kind="contextFields",
        )
        progress("contextFields", 1)
    for definition in state["strategyDefinitions"]:
        _load_definition(conn, definition=definition, report=report, now=now)
        progress("strategyDefinitions", 1)
    for tag_type in state["tagTypes"]:
        values = {
            "description": tag_type.get("description"),
            "icon": tag_type.get("icon"),
            "color": tag_type.get("color"),
        }
        if _exists(conn, tag_types, name=tag_type["name"]) is None:
            values["created_at"] = now
        _upsert(
            conn,
            table=tag_types,
            key={"name": tag_type["name"]},
            values=values,
            report=report,
            kind="tagTypes",
        )
        progress("tagTypes", 1)
    tag_dates = {(t["type"], t["value"]): t.get("createdAt") for t in state["tags"]}
    for flag in state["flags"]:
        for t in flag.get("tags", []):
            tag_dates.setdefault((t["type"], t["value"]), None)
    for (tag_type_name, value), tag_date in sorted(tag_dates.items()):
        if _exists(conn, tags, type=tag_type_name, value=value) is None:
            conn.execute(
                insert(tags).values(
                    type=tag_type_name,
                    value=value,
                    created_at=_date(tag_date, where="tags") or now,
                )
            )
            report.count("tags", "created")
        else:
            report.count("tags", "unchanged")
    for segment in state["segments"]:
        _load_segment(conn, segment=segment, report=report, now=now)
        progress("segments", 1)
    _fix_segment_sequence(conn)
    for flag in state["flags"]:
        _load_flag(conn, flag=flag, report=report, now=now)
    for flag in state["flags"]:
        _load_flag_parts(conn, flag=flag, report=report, now=now)
        progress("flags", 1)
    for token in state["apiTokens"]:
        _load_token(conn, token=token, report=report, now=now)
        progress("apiTokens", 1)
    for user in state["users"]:
        _load_user(conn, user=user, report=report, now=now)
        progress("users", 1)


def _exists(conn: Connection, table: Table, **key: Any) -> Any:
    return conn.execute(
        select(table).where(*(table.c[name] == value for name, value in key.items()))
    ).first()


def _load_project(conn: Connection, *, project: st.Project, report: Report, now: datetime) -> None:
    values: dict[str, Any] = {
        "name": project.get("name") or project["id"],
        "description": project.get("description"),
        "mode": project.get("mode") or "open",
    }
    if _exists(conn, projects, id=project["id"]) is None:
        values["created_at"] = _date(project.get("createdAt"), where="projects") or now
    _upsert(
        conn,
        table=projects,
        key={"id": project["id"]},
        values=values,
        report=report,
        kind="projects",
    )
    _replace_set(
        conn,
        table=project_environments,
        scope={"project_id": project["id"]},
        key_columns=("environment_name",),
        wanted=[
            {"environment_name": e["environment"], "default_strategy": e.get("defaultStrategy")}
            for e in project.get("environments", [])
        ],
        report=report,
        kind="projectEnvironments",
    )


def _load_definition(
    conn: Connection, *, definition: st.StrategyDefinition, report: Report, now: datetime
) -> None:
    stored = _exists(conn, strategies, name=definition["name"])
    if stored is not None and stored.built_in:
        report.skip(
            f"strategy definition {definition['name']!r}",
            "a built-in strategy of this name exists; the built-in one is kept",
        )
        return
    values: dict[str, Any] = {
        "display_name": definition.get("displayName"),
        "description": definition.get("description"),
        "title": definition.get("title"),
        "parameters": list(definition.get("parameters", [])),
        "deprecated": bool(definition.get("deprecated", False)),
        "sort_order": int(definition.get("sortOrder", 9999)),
        "built_in": False,
    }
    if stored is None:
        values["created_at"] = now
    _upsert(
        conn,
        table=strategies,
        key={"name": definition["name"]},
        values=values,
        report=report,
        kind="strategyDefinitions",
    )


def _load_segment(conn: Connection, *, segment: st.Segment, report: Report, now: datetime) -> None:
    segment_id = int(segment["id"])
    clash = conn.execute(
        select(segments.c.id).where(segments.c.name == segment["name"], segments.c.id != segment_id)
    ).first()
    if clash is not None:
        raise st.StateError(
            f"segment {segment['name']!r} (id {segment_id}): this database has a segment of that "
            f"name with id {clash.id}; rename or delete one of them first"
        )
    values: dict[str, Any] = {
        "name": segment["name"],
        "description": segment.get("description"),
        "segment_project_id": segment.get("project"),
        "constraints": list(segment.get("constraints", [])),
        "created_by": segment.get("createdBy"),
    }
    if _exists(conn, segments, id=segment_id) is None:
        values["created_at"] = _date(segment.get("createdAt"), where="segments") or now
    _upsert(
        conn,
        table=segments,
        key={"id": segment_id},
        values=values,
        report=report,
        kind="segments",
    )


def _fix_segment_sequence(conn: Connection) -> None:
    """Ids were written explicitly: PostgreSQL's sequence must move past them (SQLite's
    AUTOINCREMENT counter does on its own)."""
    if conn.dialect.name != "postgresql":
        return
    top = conn.execute(select(func.max(segments.c.id))).scalar()
    if top is not None:
        conn.execute(
            text("SELECT setval(pg_get_serial_sequence('segments', 'id'), :top)"), {"top": top}
        )


def _load_flag(conn: Connection, *, flag: st.Flag, report: Report, now: datetime) -> None:
    where = f"flag {flag['name']!r}"
    values: dict[str, Any] = {
        "project": flag["project"],
        "type": flag.get("type") or "release",
        "description": flag.get("description"),
        "stale": bool(flag.get("stale", False)),
        "impression_data": bool(flag.get("impressionData", False)),
        "archived_at": _date(flag.get("archivedAt"), where=where),
    }
    created = _date(flag.get("createdAt"), where=where)
    if created is not None:
        values["created_at"] = created
    elif _exists(conn, features, name=flag["name"]) is None:
        values["created_at"] = now
    _upsert(
        conn,
        table=features,
        key={"name": flag["name"]},
        values=values,
        report=report,
        kind="flags",
    )


def _load_flag_parts(conn: Connection, *, flag: st.Flag, report: Report, now: datetime) -> None:
    name = flag["name"]
    _replace_set(
        conn,
        table=feature_environments,
        scope={"feature_name": name},
        key_columns=("environment",),
        wanted=[
            {
                "environment": env["name"],
                "enabled": bool(env.get("enabled", False)),
                "variants": list(env.get("variants", [])),
            }
            for env in flag.get("environments", [])
        ],
        report=report,
        kind="flagEnvironments",
    )
    wanted_strategies: list[dict[str, Any]] = []
    links_wanted: list[tuple[str, list[int]]] = []
    for env in flag.get("environments", []):
        for position, strategy in enumerate(env.get("strategies", [])):
            strategy_id = str(strategy.get("id") or "")[:64] or str(ULID())
            wanted_strategies.append(
                {
                    "id": strategy_id,
                    "project_name": flag["project"],
                    "environment": env["name"],
                    "strategy_name": strategy["name"],
                    "title": strategy.get("title"),
                    "disabled": bool(strategy.get("disabled", False)),
                    "parameters": dict(strategy.get("parameters") or {}),
                    "constraints": list(strategy.get("constraints") or []),
                    "variants": list(strategy.get("variants") or []),
                    "sort_order": int(strategy.get("sortOrder", position)),
                }
            )
            links_wanted.append((strategy_id, [int(s) for s in strategy.get("segments", [])]))
    stored_ids = {
        row.id
        for row in conn.execute(
            select(feature_strategies.c.id).where(feature_strategies.c.feature_name == name)
        )
    }
    for values in wanted_strategies:
        if values["id"] not in stored_ids:
            values["created_at"] = now
    _replace_set(
        conn,
        table=feature_strategies,
        scope={"feature_name": name},
        key_columns=("id",),
        wanted=wanted_strategies,
        report=report,
        kind="strategies",
    )
    for strategy_id, segment_ids in links_wanted:
        stored = {
            row.segment_id
            for row in conn.execute(
                select(feature_strategy_segment.c.segment_id).where(
                    feature_strategy_segment.c.feature_strategy_id == strategy_id
                )
            )
        }
        wanted = set(segment_ids)
        for segment_id in sorted(wanted - stored):
            conn.execute(
                insert(feature_strategy_segment).values(
                    feature_strategy_id=strategy_id, segment_id=segment_id, created_at=now
                )
            )
            report.count("strategySegments", "created")
        for segment_id in stored - wanted:
            report.count("strategySegments", "removed")
            conn.execute(
                delete(feature_strategy_segment).where(
                    feature_strategy_segment.c.feature_strategy_id == strategy_id,
                    feature_strategy_segment.c.segment_id == segment_id,
                )
            )
        report.count("strategySegments", "unchanged", len(wanted & stored))
    stored_tags = {
        (row.tag_type, row.tag_value)
        for row in conn.execute(select(feature_tags).where(feature_tags.c.feature_name == name))
    }
    _replace_set(
        conn,
        table=feature_tags,
        scope={"feature_name": name},
        key_columns=("tag_type", "tag_value"),
        wanted=[
            {"tag_type": t["type"], "tag_value": t["value"]}
            | ({} if (t["type"], t["value"]) in stored_tags else {"created_at": now})
            for t in flag.get("tags", [])
        ],
        report=report,
        kind="featureTags",
    )
    _replace_set(
        conn,
        table=feature_dependencies,
        scope={"child": name},
        key_columns=("parent",),
        wanted=[
            {
                "parent": d["feature"],
                "enabled": bool(d.get("enabled", True)),
                "variants": list(d.get("variants") or []),
            }
            for d in flag.get("dependencies", [])
        ],
        report=report,
        kind="dependencies",
    )
    stored_links = {
        row.id
        for row in conn.execute(
            select(feature_link.c.id).where(feature_link.c.feature_name == name)
        )
    }
    wanted_links: list[dict[str, Any]] = []
    for link in flag.get("links", []):
        link_id = str(link.get("id") or "")[:26] or str(ULID())
        try:
            url, domain = urls.normalise(str(link["url"]))
        except LeashError as error:
            report.skip(f"link {link['url']!r} of flag {name!r}", str(error))
            continue
        values = {"id": link_id, "url": url, "title": link.get("title"), "domain": domain}
        if link_id not in stored_links:
            values["created_at"] = now
        wanted_links.append(values)
    _replace_set(
        conn,
        table=feature_link,
        scope={"feature_name": name},
        key_columns=("id",),
        wanted=wanted_links,
        report=report,
        kind="links",
    )


def _load_token(conn: Connection, *, token: st.ApiToken, report: Report, now: datetime) -> None:
    where = f"apiTokens {token.get('tokenName')!r}"
    secret = token.get("secret")
    if secret:
        secret_hash = sha256(secret)
        prefix = secret.partition(".")[0] + "."
    else:
        secret_hash = str(token["secretHash"])
        prefix = str(token.get("displayPrefix") or "")
    values: dict[str, Any] = {
        "display_prefix": prefix,
        "token_name": token["tokenName"],
        "type": str(token["type"]).lower(),
        "environment": token.get("environment") or "*",
        "projects": list(token.get("projects") or ["*"]),
        "expires_at": _date(token.get("expiresAt"), where=where),
    }
    if _exists(conn, api_tokens, secret_hash=secret_hash) is None:
        values["created_at"] = _date(token.get("createdAt"), where=where) or now
    _upsert(
        conn,
        table=api_tokens,
        key={"secret_hash": secret_hash},
        values=values,
        report=report,
        kind="apiTokens",
    )


def _load_user(conn: Connection, *, user: st.User, report: Report, now: datetime) -> None:
    email = user.get("email")
    username = user.get("username")
    if not email and not username:
        report.skip(f"user {user.get('name')!r}", "has neither email nor username")
        return
    role = ROOT_ROLE_NAMES.get(str(user.get("rootRole")), VIEWER_ROLE)
    values = {"username": username, "email": email, "name": user.get("name"), "root_role_id": role}
    match = users.c.email == email if email else users.c.username == username
    stored = conn.execute(select(users.c.id).where(match)).first()
    if stored is None:
        conn.execute(
            insert(users).values(
                {**values, "created_at": _date(user.get("createdAt"), where="users") or now}
            )
        )
        report.count("users", "created")
        if email:
            report.created_users.append(email)
        else:
            report.created_without_email.append(str(username))
        return
    _upsert(conn, table=users, key={"id": stored.id}, values=values, report=report, kind="users")
