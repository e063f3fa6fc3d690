"""/api/client: what server-side SDKs poll, register with and report metrics to."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query as QueryParam, Request, Response

from leash import http
from leash.auth import Principal, require_client
from leash.client_api.snapshot import ClientSnapshots, Query
from leash.client_api.spec_header import wants_inline_segments
from leash.errors import NotFoundError

router = APIRouter(prefix="/api/client", tags=["Client"])

DEFAULT_ENVIRONMENT = "development"


def snapshots(request: Request) -> ClientSnapshots:
    found: ClientSnapshots = request.app.state.client_snapshots
    return found


def _query(
    request: Request,
    principal: Principal,
    *,
    project: list[str] | None,
    name_prefix: str | None,
    tag: list[str] | None,
    environment: str | None,
) -> Query:
    inline = wants_inline_segments(request.headers.get("unleash-client-spec"))
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


@router.get("/features", operation_id="getAllClientFeatures")
def get_all_client_features(
    request: Request,
    principal: Principal = Depends(require_client),
    project: list[str] | None = QueryParam(default=None),
    namePrefix: str | None = None,
    tag: list[str] | None = QueryParam(default=None),
    environment: str | None = None,
) -> Response:
    query = _query(
        request, principal, project=project, name_prefix=namePrefix, tag=tag, environment=environment
    )
    rendered = snapshots(request).get(query)
    if request.headers.get("if-none-match") == rendered.etag:
        return Response(status_code=304)
    return Response(
        content=rendered.body,
        media_type="application/json; charset=utf-8",
        headers={"ETag": rendered.etag},
    )


@router.get("/features/{featureName}", operation_id="getClientFeature")
def get_client_feature(
    request: Request, featureName: str, principal: Principal = Depends(require_client)
) -> Response:
    query = _query(request, principal, project=None, name_prefix=None, tag=None, environment=None)
    feature = snapshots(request).get(query).features.get(featureName)
    if feature is None:
        raise NotFoundError(f"Could not find feature flag {featureName}")
    return http.json(feature)
