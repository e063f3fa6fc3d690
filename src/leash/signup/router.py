"""HTTP for public sign-up links: admins make and change them (/api/admin/invite-link), anyone
with one checks it and signs up (/invite)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from leash import http, permissions
from leash.api.call import Call
from leash.api.operation import Answer, Auth, Operation
from leash.api.route import route
from leash.signup import schemas, service
from leash.signup.schemas import CreateToken, InvitedUser, UpdateToken
from leash.tokens.service import stored_datetime

router = APIRouter()

TOKENS = "/api/admin/invite-link/tokens"
TOKEN = TOKENS + "/{token}"
INVITE = "/invite/{token}"
TAG = "Public signup tokens"


@route(
    router,
    Operation(
        operation_id="getAllPublicSignupTokens",
        method="GET",
        path=TOKENS,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.ADMIN,),
        answer=Answer(200, schemas.TOKENS),
    ),
)
def get_all_public_signup_tokens(call: Call[None]) -> Response:
    call.require()
    with call.read() as conn:
        return http.json(service.list_tokens(conn))


@route(
    router,
    Operation(
        operation_id="createPublicSignupToken",
        method="POST",
        path=TOKENS,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.ADMIN,),
        body=schemas.CREATE_TOKEN,
        answer=Answer(201, schemas.TOKEN),
    ),
)
def create_public_signup_token(call: Call[CreateToken]) -> Response:
    call.require()
    data = call.body
    with call.write(refresh=False) as conn:
        token = service.create_token(
            conn,
            name=data["name"],
            expires_at=stored_datetime(data["expiresAt"]),
            actor=call.actor,
            unleash_url=call.settings.unleash_url,
        )
    return http.json(token, status_code=201, headers={"Location": f"tokens/{token['secret']}"})


@route(
    router,
    Operation(
        operation_id="getPublicSignupToken",
        method="GET",
        path=TOKEN,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.ADMIN,),
        answer=Answer(200, schemas.TOKEN),
    ),
)
def get_public_signup_token(call: Call[None]) -> Response:
    call.require()
    with call.read() as conn:
        return http.json(service.get_token(conn, secret=call.path_str("token")))


@route(
    router,
    Operation(
        operation_id="updatePublicSignupToken",
        method="PUT",
        path=TOKEN,
        tag=TAG,
        auth=Auth.ADMIN,
        permissions=(permissions.ADMIN,),
        body=schemas.UPDATE_TOKEN,
        answer=Answer(200, schemas.TOKEN),
        # Neither field: Unleash's bare 400.
        maybe_empty=frozenset({400}),
    ),
)
def update_public_signup_token(call: Call[UpdateToken]) -> Response:
    call.require()
    data = call.body
    expires = data.get("expiresAt")
    enabled = data.get("enabled")
    if not expires and enabled is None:
        return http.empty(400)
    with call.write(refresh=False) as conn:
        token = service.update_token(
            conn,
            secret=call.path_str("token"),
            expires_at=stored_datetime(expires) if expires else None,
            enabled=enabled,
            actor=call.actor,
        )
    return http.json(token)


@route(
    router,
    Operation(
        operation_id="validatePublicSignupToken",
        method="GET",
        path=INVITE + "/validate",
        tag=TAG,
        auth=Auth.NONE,
        answer=Answer(200),
        # An unknown, disabled or expired link: Unleash's bare 400.
        bare={400: None},
    ),
)
def validate_public_signup_token(call: Call[None]) -> Response:
    with call.read() as conn:
        valid = service.is_valid(conn, secret=call.path_str("token"))
    return http.empty(200 if valid else 400)


@route(
    router,
    Operation(
        operation_id="addPublicSignupTokenUser",
        method="POST",
        path=INVITE + "/signup",
        tag=TAG,
        auth=Auth.NONE,
        body=schemas.INVITED_USER,
        answer=Answer(201, schemas.USER),
        maybe_empty=frozenset({400}),
    ),
)
def add_public_signup_token_user(call: Call[InvitedUser]) -> Response:
    secret = call.path_str("token")
    data = call.body
    with call.write(refresh=False) as conn:
        if not service.is_valid(conn, secret=secret):
            return http.empty(400)
        user = service.sign_up(conn, secret=secret, body=data)
    return http.json(user, status_code=201)
