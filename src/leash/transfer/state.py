"""The leash-state format, version 1: leash's whole state as one JSON document.

Documented in docs/state-format.md. Everything SDKs and the admin API are served from is in it;
events, metrics, sessions and passwords are not. Keys are camelCase as in Unleash's API. Lists
are in a stable order (names, ids, strategies by sortOrder) so two exports of the same state are
byte-identical and a diff between two states reads as what changed.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

FORMAT = "leash-state"
VERSION = 1
# A file larger than this is refused before it is parsed.
MAX_BYTES = 512 * 1024 * 1024


class Environment(TypedDict):
    name: str
    type: str
    enabled: bool
    protected: bool
    sortOrder: int


class ProjectEnvironment(TypedDict):
    environment: str
    defaultStrategy: dict[str, Any] | None


class Project(TypedDict):
    id: str
    name: str
    description: str | None
    mode: str
    createdAt: str | None
    environments: list[ProjectEnvironment]


class Strategy(TypedDict):
    id: str
    name: str
    title: str | None
    disabled: bool
    parameters: dict[str, Any]
    constraints: list[Any]
    variants: list[Any]
    sortOrder: int
    segments: list[int]


class FlagEnvironment(TypedDict):
    name: str
    enabled: bool
    variants: list[Any]
    strategies: list[Strategy]


class Dependency(TypedDict):
    feature: str
    enabled: bool
    variants: list[str]


class Link(TypedDict):
    id: NotRequired[str]
    url: str
    title: str | None


class Tag(TypedDict):
    type: str
    value: str
    # In the top-level list only: the tags list is ordered by it.
    createdAt: NotRequired[str | None]


class Flag(TypedDict):
    name: str
    project: str
    type: str
    description: str | None
    stale: bool
    impressionData: bool
    createdAt: str | None
    archivedAt: str | None
    environments: list[FlagEnvironment]
    tags: list[Tag]
    dependencies: list[Dependency]
    links: list[Link]


class Segment(TypedDict):
    id: int
    name: str
    description: str | None
    project: str | None
    constraints: list[Any]
    createdBy: str | None
    createdAt: str | None


class ContextField(TypedDict):
    name: str
    description: str | None
    sortOrder: int
    legalValues: list[Any]
    stickiness: bool
    project: str | None
    createdAt: NotRequired[str | None]


class StrategyDefinition(TypedDict):
    name: str
    displayName: str | None
    description: str | None
    title: str | None
    parameters: list[Any]
    deprecated: bool
    sortOrder: int


class TagType(TypedDict):
    name: str
    description: str | None
    icon: str | None
    color: NotRequired[str | None]


class ApiToken(TypedDict):
    tokenName: str
    type: str
    environment: str
    projects: list[str]
    # The secret itself when it is known (read from Unleash); leash keeps only its SHA-256,
    # which is what an export between leash instances carries.
    secret: NotRequired[str]
    secretHash: NotRequired[str]
    displayPrefix: NotRequired[str]
    expiresAt: str | None
    createdAt: str | None


class User(TypedDict):
    username: str | None
    email: str | None
    name: str | None
    rootRole: str
    createdAt: str | None


class State(TypedDict):
    format: str
    version: int
    environments: list[Environment]
    projects: list[Project]
    segments: list[Segment]
    contextFields: list[ContextField]
    strategyDefinitions: list[StrategyDefinition]
    tagTypes: list[TagType]
    tags: list[Tag]
    flags: list[Flag]
    apiTokens: list[ApiToken]
    users: list[User]


SECTIONS = (
    "environments",
    "projects",
    "segments",
    "contextFields",
    "strategyDefinitions",
    "tagTypes",
    "tags",
    "flags",
    "apiTokens",
    "users",
)


class StateError(ValueError):
    """A document that is not a leash-state this version can load."""


def empty() -> State:
    return State(
        format=FORMAT,
        version=VERSION,
        environments=[],
        projects=[],
        segments=[],
        contextFields=[],
        strategyDefinitions=[],
        tagTypes=[],
        tags=[],
        flags=[],
        apiTokens=[],
        users=[],
    )


def check(document: Any) -> State:
    """The document as a State, or StateError naming what is wrong with its envelope.

    Sections may be missing (a segments-only file has only `segments`); they load as empty.
    Entries are checked by load.py as it writes them, where a bad one fails the transaction.
    """
    if not isinstance(document, dict):
        raise StateError("not a leash-state document: the top level is not an object")
    if document.get("format") != FORMAT:
        raise StateError(f"not a leash-state document: format is {document.get('format')!r}")
    if document.get("version") != VERSION:
        raise StateError(
            f"leash-state version {document.get('version')!r} is not supported "
            f"(this leash reads version {VERSION})"
        )
    state = empty()
    for section in SECTIONS:
        value = document.get(section, [])
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise StateError(f"{section}: must be a list of objects")
        state[section] = value  # type: ignore[literal-required]
    return state


def counts(state: State) -> dict[str, int]:
    """How many of each thing the state holds, for reports."""
    result = {section: len(state[section]) for section in SECTIONS}  # type: ignore[literal-required]
    flags = state["flags"]
    result["archivedFlags"] = sum(1 for flag in flags if flag.get("archivedAt"))
    result["strategies"] = sum(
        len(env.get("strategies", [])) for flag in flags for env in flag.get("environments", [])
    )
    result["featureTags"] = sum(len(flag.get("tags", [])) for flag in flags)
    result["dependencies"] = sum(len(flag.get("dependencies", [])) for flag in flags)
    result["links"] = sum(len(flag.get("links", [])) for flag in flags)
    return result
