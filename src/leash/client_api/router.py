"""/api/client: what server-side SDKs poll, register with and report metrics to."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from fastapi import Query as QueryParam

from leash import http
from leash.auth import Principal, require_client
from leash.client_api.query_rules import check_query
from leash.client_api.snapshot import ClientSnapshots, Query, Rendered
from leash.client_api.spec_header import wants_inline_segments
from leash.errors import NotFoundError

router = APIRouter(prefix="/api/client", tags=["Client"])

DEFAULT_ENVIRONMENT = "development"


def snapshots(request: Request) -> ClientSnapshots:
    found: ClientSnapshots = request.app.state.client_snapshots
    return found


def build_query(
    principal: Principal,
    *,
    spec_header: str | None,
    project: list[str] | None,
    name_prefix: str | None,
    tag: list[str] | None,
    environment: str | None,
) -> Query:
    """The snapshot query a request means; shared with the hot path (leash.hot_paths)."""
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


NOT_MODIFIED: tuple[int, list[tuple[bytes, bytes]], bytes] = (304, [], b"")


def respond(
    rendered: Rendered, *, if_none_match: str | None, accept_encoding: str | None
) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Status, raw headers and body for a features request: 304, gzip or identity."""
    if if_none_match == rendered.etag:
        # As Unleash: a bare 304, without the ETag repeated.
        return NOT_MODIFIED
    gzip_wanted = accept_encoding is not None and "gzip" in accept_encoding
    # While a rebuild compresses this body elsewhere, identity is served rather than waited for.
    if gzip_wanted and rendered.compressible and (rendered.gzip_ready or not rendered.gzip_pending):
        body = rendered.gzip_body()
        assert rendered.gzip_headers is not None
        return 200, rendered.gzip_headers, body
    return 200, rendered.headers, rendered.body


@router.get("/features", operation_id="getAllClientFeatures")
def get_all_client_features(
    request: Request,
    principal: Principal = Depends(require_client),
    project: list[str] | None = QueryParam(default=None),
    namePrefix: str | None = None,
    tag: list[str] | None = QueryParam(default=None),
    environment: str | None = None,
) -> Response:
    query = build_query(
        principal,
        spec_header=request.headers.get("unleash-client-spec"),
        project=project,
        name_prefix=namePrefix,
        tag=tag,
        environment=environment,
    )
    status, headers, body = respond(
        snapshots(request).get(query),
        if_none_match=request.headers.get("if-none-match"),
        accept_encoding=request.headers.get("accept-encoding"),
    )
    response = Response(content=body, status_code=status)
    response.raw_headers = list(headers)
    return response


@router.get("/features/{featureName}", operation_id="getClientFeature")
def get_client_feature(
    request: Request, featureName: str, principal: Principal = Depends(require_client)
) -> Response:
    query = build_query(
        principal,
        spec_header=request.headers.get("unleash-client-spec"),
        project=None,
        name_prefix=None,
        tag=None,
        environment=None,
    )
    feature = snapshots(request).get(query).features.get(featureName)
    if feature is None:
        raise NotFoundError(f"Could not find feature flag {featureName}")
    return http.json(feature)
