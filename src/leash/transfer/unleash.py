"""A live Unleash 7.x or 8.x read through its admin API (GET only) into a leash-state.

What cannot be read is named in the report, never guessed. Archived flags are not shown by
getFeature, so their environments, strategies and variants are read per environment (those
endpoints do show archived flags); their links are not listed anywhere and are not carried.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

import httpx

from leash.transfer import state as st
from leash.transfer.report import Report

PAGE = 100
# Unleash's own limits are far below these; a source answering more is refused, not followed.
MAX_FLAGS = 100_000
MAX_ANSWER_BYTES = 64 * 1024 * 1024
ROOT_ROLES = {1: "Admin", 2: "Editor", 3: "Viewer"}


class SourceError(RuntimeError):
    """The source cannot be read (unreachable, refused the token, answered nonsense)."""


class Recorder:
    """Keeps every answer read, by path and query, for fixtures."""

    def __init__(self) -> None:
        self.answers: dict[str, Any] = {}

    def keep(self, path: str, status: int, body: Any) -> None:
        self.answers[path] = {"status": status, "body": body}


class Reader:
    def __init__(
        self,
        *,
        http: httpx.Client,
        token: str,
        report: Report,
        recorder: Recorder | None,
    ) -> None:
        self.http = http
        self.headers = {"Authorization": token, "Accept": "application/json"}
        self.report = report
        self.recorder = recorder

    def get(self, path: str, **query: str | int) -> Any | None:
        """The JSON answer, or None for a 404 (an endpoint this version lacks)."""
        target = f"{path}?{urlencode(query)}" if query else path
        try:
            response = self.http.get(target, headers=self.headers)
        except httpx.HTTPError as error:
            raise SourceError(f"GET {target}: {error.__class__.__name__}: {error}") from error
        if len(response.content) > MAX_ANSWER_BYTES:
            raise SourceError(f"GET {target}: answer larger than {MAX_ANSWER_BYTES} bytes")
        body: Any = None
        if response.content:
            try:
                body = response.json()
            except ValueError as error:
                raise SourceError(f"GET {target}: not JSON ({response.status_code})") from error
        if self.recorder is not None:
            self.recorder.keep(target, response.status_code, body)
        if response.status_code == 404:
            return None
        if response.status_code in (401, 403):
            raise SourceError(
                f"GET {target}: {response.status_code}: the token is not an admin token of "
                "this Unleash (or lacks permission)"
            )
        if response.status_code >= 300:
            raise SourceError(f"GET {target}: {response.status_code}: {response.text[:300]}")
        return body


def _q(value: str) -> str:
    return quote(value, safe="")


def read_unleash(
    *,
    http: httpx.Client,
    token: str,
    report: Report | None = None,
    recorder: Recorder | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[st.State, Report]:
    """Everything `leash migrate --from` carries, read from the Unleash `http` points at."""
    report = report if report is not None else Report()
    reader = Reader(http=http, token=token, report=report, recorder=recorder)
    state = st.empty()
    envs = reader.get("/api/admin/environments") or {}
    state["environments"] = [
        st.Environment(
            name=e["name"],
            type=e.get("type") or "development",
            enabled=bool(e.get("enabled", True)),
            protected=bool(e.get("protected", False)),
            sortOrder=int(e.get("sortOrder", 9999)),
        )
        for e in envs.get("environments", [])
    ]
    state["segments"] = [
        st.Segment(
            id=int(s["id"]),
            name=s["name"],
            description=s.get("description"),
            project=s.get("project"),
            constraints=list(s.get("constraints") or []),
            createdBy=s.get("createdBy"),
            createdAt=s.get("createdAt"),
        )
        for s in (reader.get("/api/admin/segments") or {}).get("segments", [])
    ]
    state["contextFields"] = [
        st.ContextField(
            name=c["name"],
            description=c.get("description"),
            sortOrder=int(c.get("sortOrder", 10)),
            legalValues=list(c.get("legalValues") or []),
            stickiness=bool(c.get("stickiness", False)),
            project=c.get("project"),
            createdAt=c.get("createdAt"),
        )
        for c in reader.get("/api/admin/context") or []
    ]
    definitions = (reader.get("/api/admin/strategies") or {}).get("strategies", [])
    state["strategyDefinitions"] = [
        st.StrategyDefinition(
            name=d["name"],
            displayName=d.get("displayName"),
            description=d.get("description"),
            title=d.get("title"),
            parameters=list(d.get("parameters") or []),
            deprecated=bool(d.get("deprecated", False)),
            sortOrder=int(d.get("sortOrder", 9999)),
        )
        for d in definitions
        if d.get("editable")
    ]
    state["tagTypes"] = [
        st.TagType(
            name=t["name"],
            description=t.get("description"),
            icon=t.get("icon"),
            color=t.get("color"),
        )
        for t in (reader.get("/api/admin/tag-types") or {}).get("tagTypes", [])
    ]
    state["tags"] = [
        st.Tag(type=t["type"], value=t["value"])
        for t in (reader.get("/api/admin/tags") or {}).get("tags", [])
    ]
    listed = _search(reader, archived=False) + _search(reader, archived=True)
    project_ids = {p["id"] for p in (reader.get("/api/admin/projects") or {}).get("projects", [])}
    project_ids |= {flag["project"] for flag in listed}
    for project_id in sorted(project_ids):
        state["projects"].append(_project(reader, project_id=project_id))
    project_envs = {
        p["id"]: [e["environment"] for e in p["environments"]] for p in state["projects"]
    }
    for flag in listed:
        if progress is not None:
            progress(flag["name"])
        state["flags"].append(_flag(reader, listed=flag, environments=project_envs))
    state["apiTokens"] = _tokens(reader)
    state["users"] = _users(reader)
    report.skip(
        "events, metrics and applications, lifecycle stages, project roles, groups, personal "
        "access tokens, addons",
        "not part of a leash-state (docs/state-format.md); not read",
    )
    return state, report


def _search(reader: Reader, *, archived: bool) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    while len(found) < MAX_FLAGS:
        page = reader.get(
            "/api/admin/search/features",
            archived=f"IS:{str(archived).lower()}",
            limit=PAGE,
            offset=len(found),
            sortBy="name",
            sortOrder="asc",
        )
        if page is None:
            raise SourceError(
                "GET /api/admin/search/features: 404: this Unleash is older than 7.0 "
                "(the migration reads 7.x and 8.x)"
            )
        features = page.get("features", [])
        found.extend(features)
        if len(features) < PAGE or len(found) >= int(page.get("total", 0)):
            break
    return found


def _project(reader: Reader, *, project_id: str) -> st.Project:
    overview = reader.get(f"/api/admin/projects/{_q(project_id)}/overview") or {}
    environments = [
        st.ProjectEnvironment(
            environment=e["environment"], defaultStrategy=e.get("defaultStrategy")
        )
        for e in overview.get("environments", [])
    ]
    if not overview:
        reader.report.skip(f"project {project_id!r}", "its overview could not be read")
    stickiness = overview.get("defaultStickiness")
    if stickiness not in (None, "default"):
        reader.report.skip(
            f"default stickiness {stickiness!r} of project {project_id!r}",
            "leash has no per-project default stickiness (flags' strategies keep theirs)",
        )
    if overview.get("featureLimit") is not None:
        reader.report.skip(
            f"flag limit {overview['featureLimit']} of project {project_id!r}",
            "leash has no per-project flag limit",
        )
    return st.Project(
        id=project_id,
        name=overview.get("name") or project_id,
        description=overview.get("description"),
        mode=overview.get("mode") or "open",
        createdAt=overview.get("createdAt"),
        environments=environments,
    )


def _strategy(raw: dict[str, Any], position: int) -> st.Strategy:
    return st.Strategy(
        id=raw["id"],
        name=raw["name"],
        title=raw.get("title"),
        disabled=bool(raw.get("disabled") or False),
        parameters=dict(raw.get("parameters") or {}),
        constraints=list(raw.get("constraints") or []),
        variants=list(raw.get("variants") or []),
        sortOrder=int(
            raw.get("sortOrder", position) if raw.get("sortOrder") is not None else position
        ),
        segments=[int(s) for s in raw.get("segments") or []],
    )


def _flag(reader: Reader, *, listed: dict[str, Any], environments: dict[str, list[str]]) -> st.Flag:
    name = listed["name"]
    project = listed["project"]
    base = f"/api/admin/projects/{_q(project)}/features/{_q(name)}"
    flag = st.Flag(
        name=name,
        project=project,
        type=listed.get("type") or "release",
        description=listed.get("description"),
        stale=bool(listed.get("stale", False)),
        impressionData=bool(listed.get("impressionData", False)),
        createdAt=listed.get("createdAt"),
        archivedAt=listed.get("archivedAt"),
        environments=[],
        tags=[],
        dependencies=[],
        links=[],
    )
    detail = None if listed.get("archivedAt") else reader.get(base)
    if detail is not None:
        for env in detail.get("environments", []):
            flag["environments"].append(
                st.FlagEnvironment(
                    name=env["name"],
                    enabled=bool(env.get("enabled", False)),
                    variants=_environment_variants(
                        reader, f"{base}/environments/{_q(env['name'])}"
                    ),
                    strategies=[_strategy(s, i) for i, s in enumerate(env.get("strategies") or [])],
                )
            )
        flag["dependencies"] = [
            st.Dependency(
                feature=d["feature"],
                enabled=bool(d.get("enabled", True)),
                variants=list(d.get("variants") or []),
            )
            for d in detail.get("dependencies") or []
        ]
        flag["links"] = [
            st.Link(id=link["id"], url=link["url"], title=link.get("title"))
            for link in detail.get("links") or []
        ]
    else:
        for env_name in environments.get(project, []):
            env_base = f"{base}/environments/{_q(env_name)}"
            env = reader.get(env_base)
            if env is None:
                continue
            strategies = reader.get(f"{env_base}/strategies") or []
            variants = _environment_variants(reader, env_base)
            flag["environments"].append(
                st.FlagEnvironment(
                    name=env_name,
                    enabled=bool(env.get("enabled", False)),
                    variants=list(variants),
                    strategies=[_strategy(s, i) for i, s in enumerate(strategies)],
                )
            )
        if listed.get("archivedAt"):
            reader.report.skip(
                f"links of archived flag {name!r}",
                "Unleash's admin API does not show an archived flag's links",
            )
    tags = reader.get(f"/api/admin/features/{_q(name)}/tags") or {}
    flag["tags"] = [st.Tag(type=t["type"], value=t["value"]) for t in tags.get("tags", [])]
    return flag


def _environment_variants(reader: Reader, env_base: str) -> list[Any]:
    """In their stored order, which decides who gets which variant (getFeature's
    variantEnvironments lists them sorted by name instead)."""
    return list((reader.get(f"{env_base}/variants") or {}).get("variants") or [])


def _tokens(reader: Reader) -> list[st.ApiToken]:
    answer = reader.get("/api/admin/api-tokens") or {}
    tokens: list[st.ApiToken] = []
    for raw in answer.get("tokens", []):
        token = st.ApiToken(
            tokenName=raw.get("tokenName") or raw.get("username") or "migrated",
            type=str(raw.get("type", "client")).lower(),
            environment=raw.get("environment") or "*",
            projects=list(raw.get("projects") or [raw.get("project") or "*"]),
            expiresAt=raw.get("expiresAt"),
            createdAt=raw.get("createdAt"),
        )
        secret = raw.get("secret")
        # A secure token (8.x's api_tokens_v2) is kept only as a verifier: the list shows its
        # selector in `secret`, which no SDK can use. Such tokens get new secrets.
        if isinstance(secret, str) and secret and raw.get("secure") is not True:
            token["secret"] = secret
        tokens.append(token)
    return tokens


def _users(reader: Reader) -> list[st.User]:
    answer = reader.get("/api/admin/user-admin") or {}
    names = dict(ROOT_ROLES)
    for role in answer.get("rootRoles", []):
        if isinstance(role, dict) and "id" in role and "name" in role:
            names[int(role["id"])] = str(role["name"])
    users: list[st.User] = []
    for raw in answer.get("users", []):
        role = raw.get("rootRole")
        users.append(
            st.User(
                username=raw.get("username"),
                email=raw.get("email"),
                name=raw.get("name"),
                rootRole=names.get(int(role), "Viewer") if isinstance(role, int) else "Viewer",
                createdAt=raw.get("createdAt"),
            )
        )
    return users
