"""HTTP for tag types, tags and flags' tags: Unleash's tag-type and tag controllers, and the
tag operations of its feature controllers."""

from __future__ import annotations

from fastapi import APIRouter, Response

from leash import http, permissions
from leash.api.call import Call
from leash.api.openapi import link
from leash.api.operation import Answer, Auth, Operation
from leash.api.route import route
from leash.tags import schemas, service
from leash.tags.schemas import Tag, TagsBulkAdd, TagType, UpdateTags, UpdateTagType

router = APIRouter()

TAG = "Tags"
TAG_TYPES = "/api/admin/tag-types"
TAG_TYPE = TAG_TYPES + "/{name}"
TAGS = "/api/admin/tags"
# A value may hold a slash (sent as %2F, decoded before routing): the rest of the path is it.
ONE_TAG = TAGS + "/{type}/{value:path}"
FLAG_TAGS = "/api/admin/features/{featureName}/tags"
FLAG_TAG = FLAG_TAGS + "/{type}/{value:path}"
_NEW_TAG_TYPE = "$response.body#/name"


# -- tag types --------------------------------------------------------------------------------


@route(
    router,
    Operation(
        operation_id="getTagTypes",
        method="GET",
        path=TAG_TYPES,
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.TAG_TYPES),
    ),
)
def get_tag_types(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(service.list_tag_types(conn))


@route(
    router,
    Operation(
        operation_id="createTagType",
        method="POST",
        path=TAG_TYPES,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.CREATE_TAG_TYPE,),
        body=schemas.TAG_TYPE,
        answer=Answer(
            201,
            schemas.TAG_TYPE_ANSWER,
            links={
                "GetTagType": link("getTagType", name=_NEW_TAG_TYPE),
                "UpdateTagType": link("updateTagType", name=_NEW_TAG_TYPE),
                "DeleteTagType": link("deleteTagType", name=_NEW_TAG_TYPE),
            },
        ),
    ),
)
def create_tag_type(call: Call[TagType]) -> Response:
    call.require()
    body = call.body
    # Tag types are only metadata: SDKs never see them.
    with call.write(refresh=False) as conn:
        created = service.create_tag_type(conn, body=body, actor=call.actor)
    location = service.header_safe(f"tag-types/{created['name']}")
    return http.json(created, status_code=201, headers={"Location": location})


@route(
    router,
    Operation(
        operation_id="validateTagType",
        method="POST",
        path=TAG_TYPES + "/validate",
        tag=TAG,
        auth=Auth.ADMIN,
        body=schemas.TAG_TYPE,
        answer=Answer(200, schemas.VALIDATE_TAG_TYPE),
    ),
)
def validate_tag_type(call: Call[TagType]) -> Response:
    body = call.body
    with call.read() as conn:
        service.validate_tag_type(conn, body=body)
    return http.json({"valid": True, "tagType": body})


@route(
    router,
    Operation(
        operation_id="getTagType",
        method="GET",
        path=TAG_TYPE,
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.TAG_TYPE_WITH_VERSION),
    ),
)
def get_tag_type(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(service.get_tag_type(conn, name=call.path_str("name")))


@route(
    router,
    Operation(
        operation_id="updateTagType",
        method="PUT",
        path=TAG_TYPE,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_TAG_TYPE,),
        body=schemas.UPDATE_TAG_TYPE,
        answer=Answer(200),
    ),
)
def update_tag_type(call: Call[UpdateTagType]) -> Response:
    call.require()
    body = call.body
    with call.write(refresh=False) as conn:
        service.update_tag_type(conn, name=call.path_str("name"), body=body, actor=call.actor)
    return http.empty(200)


@route(
    router,
    Operation(
        operation_id="deleteTagType",
        method="DELETE",
        path=TAG_TYPE,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.DELETE_TAG_TYPE,),
        answer=Answer(200),
    ),
)
def delete_tag_type(call: Call[None]) -> Response:
    call.require()
    # Its tags go with it, untagging flags: SDKs filtering by tag see it.
    with call.write() as conn:
        service.delete_tag_type(conn, name=call.path_str("name"), actor=call.actor)
    return http.empty(200)


# -- tags -------------------------------------------------------------------------------------


@route(
    router,
    Operation(
        operation_id="getTags",
        method="GET",
        path=TAGS,
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.TAGS),
    ),
)
def get_tags(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(service.list_tags(conn))


@route(
    router,
    Operation(
        operation_id="createTag",
        method="POST",
        path=TAGS,
        tag=TAG,
        auth=Auth.ADMIN,
        body=schemas.CREATE_TAG,
        answer=Answer(201, schemas.TAG_WITH_VERSION),
    ),
)
def create_tag(call: Call[Tag]) -> Response:
    body = call.body
    # A tag no flag has yet: SDKs see nothing of it.
    with call.write(refresh=False) as conn:
        tag = service.create_tag(conn, body=body, actor=call.actor)
    location = service.header_safe(f"tags/{tag['type']}/{tag['value']}")
    return http.json(
        {"version": service.VERSION, "tag": tag}, status_code=201, headers={"Location": location}
    )


@route(
    router,
    Operation(
        operation_id="getTagsByType",
        method="GET",
        path=TAGS + "/{type}",
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.TAGS),
    ),
)
def get_tags_by_type(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(service.list_tags(conn, type=call.path_str("type")))


@route(
    router,
    Operation(
        operation_id="getTag",
        method="GET",
        path=ONE_TAG,
        tag=TAG,
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.TAG_WITH_VERSION),
    ),
)
def get_tag(call: Call[None]) -> Response:
    with call.read() as conn:
        found = service.get_tag(conn, type=call.path_str("type"), value=call.path_str("value"))
    return http.json(found)


@route(
    router,
    Operation(
        operation_id="deleteTag",
        method="DELETE",
        path=ONE_TAG,
        tag=TAG,
        auth=Auth.ADMIN,
        # Unleash's check: UPDATE_FEATURE with no project (a root grant, or one for all).
        permissions=(permissions.UPDATE_FEATURE,),
        answer=Answer(200),
    ),
)
def delete_tag(call: Call[None]) -> Response:
    call.require()
    with call.write() as conn:
        service.delete_tag(
            conn, type=call.path_str("type"), value=call.path_str("value"), actor=call.actor
        )
    return http.empty(200)


# -- flags' tags ------------------------------------------------------------------------------


@route(
    router,
    Operation(
        operation_id="listTags",
        method="GET",
        path=FLAG_TAGS,
        tag="Features",
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.TAGS),
    ),
)
def list_tags(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(service.list_flag_tags(conn, name=call.path_str("featureName")))


@route(
    router,
    Operation(
        operation_id="addTag",
        method="POST",
        path=FLAG_TAGS,
        tag="Features",
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_FEATURE,),
        body=schemas.TAG,
        answer=Answer(201, schemas.TAG_ANSWER),
    ),
)
def add_tag(call: Call[Tag]) -> Response:
    name = call.path_str("featureName")
    with call.write() as conn:
        # The permission is checked on the flag's stored project (none: no such flag).
        project = service.flag_project(conn, name=name)
        call.require(project=project)
        body = call.body
        tag = service.add_flag_tag(conn, name=name, project=project, body=body, actor=call.actor)
    location = service.header_safe(f"{name}/tags")
    return http.json(tag, status_code=201, headers={"Location": location})


@route(
    router,
    Operation(
        operation_id="updateTags",
        method="PUT",
        path=FLAG_TAGS,
        tag="Features",
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_FEATURE,),
        body=schemas.UPDATE_TAGS,
        answer=Answer(200, schemas.TAGS),
    ),
)
def update_tags(call: Call[UpdateTags]) -> Response:
    name = call.path_str("featureName")
    with call.write() as conn:
        project = service.flag_project(conn, name=name)
        call.require(project=project)
        body = call.body
        tags = service.update_flag_tags(
            conn, name=name, project=project, body=body, actor=call.actor
        )
    return http.json(tags)


@route(
    router,
    Operation(
        operation_id="removeTag",
        method="DELETE",
        path=FLAG_TAG,
        tag="Features",
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_FEATURE,),
        answer=Answer(200),
    ),
)
def remove_tag(call: Call[None]) -> Response:
    name = call.path_str("featureName")
    with call.write() as conn:
        project = service.flag_project(conn, name=name)
        call.require(project=project)
        service.remove_flag_tag(
            conn,
            name=name,
            project=project,
            type=call.path_str("type"),
            value=call.path_str("value"),
            actor=call.actor,
        )
    return http.empty(200)


@route(
    router,
    Operation(
        operation_id="addTagToFeatures",
        method="PUT",
        path="/api/admin/projects/{projectId}/tags",
        tag=TAG,
        auth=Auth.ADMIN,
        # On the path's project; the service refuses flags of any other.
        permissions=(permissions.UPDATE_FEATURE,),
        body=schemas.TAGS_BULK_ADD,
        answer=Answer(200),
    ),
)
def add_tag_to_features(call: Call[TagsBulkAdd]) -> Response:
    project = call.path_str("projectId")
    call.require(project=project)
    body = call.body
    with call.write() as conn:
        service.update_tags_in_project(conn, project=project, body=body, actor=call.actor)
    return http.empty(200)
