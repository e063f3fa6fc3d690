"""The snapshot query a client-features request means: shared by the route and the hot path
(leash.hot_paths), so both read a request alike."""

from __future__ import annotations

from leash.client_api.query_rules import check_query
from leash.client_api.rendering import Query
from leash.client_api.spec_header import wants_inline_segments
from leash.identity import Principal

DEFAULT_ENVIRONMENT = "development"


def build_query(
    principal: Principal,
    *,
    spec_header: str | None,
    project: list[str] | None,
    name_prefix: str | None,
    tag: list[str] | None,
    environment: str | None,
) -> Query:
    check_query(tag=tag, project=project, name_prefix=name_prefix)
    inline = wants_inline_segments(spec_header)
    projects: tuple[str, ...] | None
    if not principal.all_projects:
        projects = principal.projects
    elif project:
        projects = tuple(project)
    else:
        projects = None
    if principal.environment != "*":
        environment = principal.environment
    tags = tuple(
        (kind, value)
        for kind, _, value in (item.partition(":") for item in (tag or []))
        if kind and value
    )
    return Query(
        environment=environment or DEFAULT_ENVIRONMENT,
        projects=projects,
        name_prefix=name_prefix or None,
        tags=tags,
        inline_segments=inline,
    )
