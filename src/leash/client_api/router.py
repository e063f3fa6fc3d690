"""/api/client: the flags server-side SDKs poll (registering and metrics: leash.metrics)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from leash import http
from leash.api.call import Call
from leash.api.openapi import NO_SDK_TOKEN
from leash.api.operation import Answer, Auth, Operation
from leash.api.route import route
from leash.client_api import schemas
from leash.client_api.queries import build_query
from leash.client_api.respond import respond
from leash.client_api.snapshot import ClientSnapshots
from leash.errors import NotFoundError

router = APIRouter()

TAG = "Client"
FEATURES = "/api/client/features"


def _snapshots(call: Call[None]) -> ClientSnapshots:
    found: ClientSnapshots = call.state.client_snapshots
    return found


@route(
    router,
    Operation(
        operation_id="getAllClientFeatures",
        method="GET",
        path=FEATURES,
        tag=TAG,
        auth=Auth.CLIENT,
        query=schemas.FEATURES_QUERY,
        answer=Answer(200, schemas.CLIENT_FEATURES),
        also=(Answer(304, description="Not modified: the ETag matches."),),
        bare=NO_SDK_TOKEN,
    ),
)
def get_all_client_features(call: Call[None]) -> Response:
    headers = call.request.headers
    query = build_query(
        call.principal,
        spec_header=headers.get("unleash-client-spec"),
        project=call.query_all("project") or None,
        name_prefix=call.query("namePrefix"),
        tag=call.query_all("tag") or None,
        environment=call.query("environment"),
    )
    status, raw_headers, body = respond(
        _snapshots(call).get(query),
        if_none_match=headers.get("if-none-match"),
        accept_encoding=headers.get("accept-encoding"),
    )
    response = Response(content=body, status_code=status)
    response.raw_headers = list(raw_headers)
    return response


@route(
    router,
    Operation(
        operation_id="getClientFeature",
        method="GET",
        path=FEATURES + "/{featureName}",
        tag=TAG,
        auth=Auth.CLIENT,
        answer=Answer(200, schemas.CLIENT_FEATURE),
        bare=NO_SDK_TOKEN,
    ),
)
def get_client_feature(call: Call[None]) -> Response:
    query = build_query(
        call.principal,
        spec_header=call.request.headers.get("unleash-client-spec"),
        project=None,
        name_prefix=None,
        tag=None,
        environment=None,
    )
    name = call.path_str("featureName")
    feature = _snapshots(call).get(query).features.get(name)
    if feature is None:
        raise NotFoundError(f"Could not find feature flag {name}")
    return http.json(feature)
