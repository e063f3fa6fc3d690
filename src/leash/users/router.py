"""HTTP for users: password login and logout, /api/admin/user (me, my profile, roles,
password and tokens), /api/admin/user-admin, password reset links (/auth/reset), and project
role assignment."""

from __future__ import annotations

from email.utils import format_datetime
from typing import Any, Final

from fastapi import APIRouter, Response
from sqlalchemy import Connection

from leash import http, limits, permissions
from leash.api.call import Call
from leash.api.openapi import INTEGER
from leash.api.operation import HTML, TEXT, Answer, Auth, Operation
from leash.api.route import route
from leash.auth import bearer_secret
from leash.errors import BadDataError, PasswordMismatch
from leash.identity import SESSION_COOKIE, SYSTEM_ACTOR, Principal
from leash.secrets import sha256
from leash.tokens.service import stored_datetime
from leash.users import access, admin, credentials, me, pats, resets, schemas, sessions, views
from leash.users.passwords import hash_password, verify_password
from leash.users.schemas import (
    Access,
    CreatePat,
    CreateUser,
    Email,
    EmailId,
    Ids,
    Login,
    Password,
    ResetPassword,
    UpdateUser,
    ValidatePassword,
)
from leash.validation import Schema
from leash.web_security import request_scheme

router = APIRouter()

ME = "/api/admin/user"
PATS = ME + "/tokens"
USERS = "/api/admin/user-admin"
USER = USERS + "/{id}"
PROJECT = "/api/admin/projects/{projectId}"
# Unleash declares these ids integers (ajv coerces "7"; anything else is a 400).
_ID: Final[dict[str, Schema]] = {"id": INTEGER}


# --- login and logout ---


@route(
    router,
    Operation(
        operation_id="login",
        method="POST",
        path="/auth/simple/login",
        tag="Auth",
        auth=Auth.NONE,
        body=schemas.LOGIN,
        answer=Answer(200, schemas.USER),
        # A locked account: express-rate-limit's text/html answer, as Unleash sends it.
        bare={429: HTML},
    ),
)
def login(call: Call[Login]) -> Response:
    data = call.body
    # Three steps, so the slow password check holds no transaction (SQLite's write lock least
    # of all) and attempts in parallel count against each other: see sessions.start_login.
    with call.write(refresh=False) as conn:
        attempt = sessions.start_login(conn, username=data["username"])
    matched = sessions.password_matches(attempt, password=data["password"])
    with call.write(refresh=False) as conn:
        result = sessions.finish_login(conn, attempt=attempt, matched=matched)
    if result is None:
        error = PasswordMismatch()
        return http.json(error.body(), status_code=error.status_code, headers=attempt.headers)
    response = http.json(result.user, headers=attempt.headers)
    # Written by hand to match Unleash's attribute spelling (`SameSite=Lax`).
    cookie = (
        f"{SESSION_COOKIE}={result.sid}; Path=/; "
        f"Expires={format_datetime(result.expires_at, usegmt=True)}; HttpOnly; SameSite=Lax"
    )
    scheme = request_scheme(call.request.scope, trust_proxy=call.settings.leash_trust_proxy)
    if scheme == "https":
        cookie += "; Secure"
    response.headers.append("Set-Cookie", cookie)
    return response


@route(
    router,
    Operation(
        operation_id="logout",
        method="POST",
        path="/logout",
        tag="Auth",
        auth=Auth.NONE,
        # Express's res.redirect: a plain-text "Found. Redirecting to /", whatever the session.
        answer=Answer(302, TEXT),
    ),
)
def logout(call: Call[None]) -> Response:
    sid = call.request.cookies.get(SESSION_COOKIE)
    if sid:
        with call.write(refresh=False) as conn:
            sessions.logout(conn, sid=sid)
    location = f"{call.settings.base_path}/"
    response = Response(
        f"Found. Redirecting to {location}",
        status_code=302,
        headers={"Location": location, "Clear-Site-Data": '"cookies", "storage"'},
        media_type="text/plain; charset=utf-8",
    )
    response.headers.append(
        "Set-Cookie", f"{SESSION_COOKIE}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT"
    )
    return response


# --- /api/admin/user ---


@route(
    router,
    Operation(
        operation_id="getMe",
        method="GET",
        path=ME,
        tag="Users",
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.ME),
    ),
)
def get_me(call: Call[None]) -> Response:
    via_session = not bearer_secret(call.request)
    with call.read() as conn:
        return http.json(me.me(conn, principal=call.principal, via_session=via_session))


def _own_user_id(principal: Principal) -> int:
    if principal.user_id is None:
        # An API token is not a user and cannot own personal access tokens.
        raise BadDataError.single("Personal access tokens belong to users; log in as a user.")
    return principal.user_id


@route(
    router,
    Operation(
        operation_id="getPats",
        method="GET",
        path=PATS,
        tag="Users",
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.PATS),
    ),
)
def get_pats(call: Call[None]) -> Response:
    user_id = call.principal.user_id
    if user_id is None:
        return http.json({"pats": []})
    with call.read() as conn:
        return http.json(pats.list_pats(conn, user_id=user_id))


@route(
    router,
    Operation(
        operation_id="createPat",
        method="POST",
        path=PATS,
        tag="Users",
        auth=Auth.ADMIN,
        body=schemas.CREATE_PAT,
        answer=Answer(201, schemas.NEW_PAT),
    ),
)
def create_pat(call: Call[CreatePat]) -> Response:
    data = call.body
    user_id = _own_user_id(call.principal)
    with call.write(refresh=False) as conn:
        created = pats.create_pat(
            conn,
            user_id=user_id,
            description=data["description"],
            expires_at=stored_datetime(data["expiresAt"]),
            actor=call.actor,
        )
    return http.json(created, status_code=201)


@route(
    router,
    Operation(
        operation_id="deletePat",
        method="DELETE",
        path=PATS + "/{id}",
        tag="Users",
        auth=Auth.ADMIN,
        path_params=_ID,
        answer=Answer(200),
    ),
)
def delete_pat(call: Call[None]) -> Response:
    pat_id = call.path_int("id")
    user_id = _own_user_id(call.principal)
    with call.write(refresh=False) as conn:
        pats.delete_pat(conn, user_id=user_id, pat_id=pat_id, actor=call.actor)
    return http.empty(200)


def _session_hash(call: Call[Any]) -> str | None:
    """The digest of the session the request came with (not for a bearer credential)."""
    sid = call.request.cookies.get(SESSION_COOKIE)
    return sha256(sid) if sid and not bearer_secret(call.request) else None


@route(
    router,
    Operation(
        operation_id="getProfile",
        method="GET",
        path=ME + "/profile",
        tag="Users",
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.PROFILE),
    ),
)
def get_profile(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(me.profile(conn, principal=call.principal))


@route(
    router,
    Operation(
        operation_id="getUserRoles",
        method="GET",
        path=ME + "/roles",
        tag="Users",
        auth=Auth.ADMIN,
        query={"projectId": {"type": "string"}},
        answer=Answer(200, schemas.ROLES),
        # Without a project Unleash answers a bare 400.
        bare={400: None},
    ),
)
def get_user_roles(call: Call[None]) -> Response:
    project = call.query("projectId")
    if not project:
        return http.empty(400)
    with call.read() as conn:
        return http.json(me.own_roles(conn, principal=call.principal, project=project))


@route(
    router,
    Operation(
        operation_id="changeMyPassword",
        method="POST",
        path=ME + "/change-password",
        tag="Users",
        auth=Auth.ADMIN,
        body=schemas.PASSWORD,
        answer=Answer(200),
        # A confirmation that differs, or no old password: Unleash's bare 400.
        maybe_empty=frozenset({400}),
    ),
)
def change_my_password(call: Call[Password]) -> Response:
    data = call.body
    password = data["password"]
    old = data.get("oldPassword")
    if password != data.get("confirmPassword") or old is None:
        return http.empty(400)
    credentials.require_new_password(password)
    with call.read() as conn:
        user_id, current, used = me.password_state(conn, principal=call.principal)
    # The slow checks (argon2) hold no transaction.
    if not verify_password(current, old):
        raise me.old_password_mismatch(base_path=call.settings.base_path)
    credentials.require_unused(used, password=password)
    password_hash = hash_password(password)
    with call.write(refresh=False) as conn:
        # The session that made the change stays; every other one ends.
        credentials.store_password(
            conn, user_id=user_id, password_hash=password_hash, keep_sid_hash=_session_hash(call)
        )
    return http.empty(200)


# --- /api/admin/user-admin: root admins only ---


@route(
    router,
    Operation(
        operation_id="getUsers",
        method="GET",
        path=USERS,
        tag="Users",
        auth=Auth.ADMIN,
        permissions=(permissions.ADMIN,),
        answer=Answer(200, schemas.USERS),
    ),
)
def get_users(call: Call[None]) -> Response:
    call.require()
    with call.read() as conn:
        return http.json(admin.list_users(conn))


@route(
    router,
    Operation(
        operation_id="createUser",
        method="POST",
        path=USERS,
        tag="Users",
        auth=Auth.ADMIN,
        permissions=(permissions.ADMIN,),
        body=schemas.CREATE_USER,
        answer=Answer(201, schemas.USER),
    ),
)
def create_user(call: Call[CreateUser]) -> Response:
    call.require()
    data = call.body
    with call.write(refresh=False) as conn:
        created = admin.create_invited_user(
            conn, body=data, actor=call.actor, unleash_url=call.settings.unleash_url
        )
    return http.json(created, status_code=201, headers={"Location": str(created["id"])})


@route(
    router,
    Operation(
        operation_id="validateUserPassword",
        method="POST",
        path=USERS + "/validate-password",
        tag="Users",
        auth=Auth.ADMIN,
        body=schemas.PASSWORD,
        answer=Answer(200),
    ),
)
def validate_user_password(call: Call[Password]) -> Response:
    credentials.require_new_password(call.body["password"])
    return http.empty(200)


@route(
    router,
    Operation(
        operation_id="resetUserPassword",
        method="POST",
        path=USERS + "/reset-password",
        tag="Users",
        auth=Auth.ADMIN,
        permissions=(permissions.ADMIN,),
        body=schemas.EMAIL_ID,
        answer=Answer(200, schemas.RESET_LINK),
    ),
)
def reset_user_password(call: Call[EmailId]) -> Response:
    call.require()
    email = call.body["id"]
    with call.write(refresh=False) as conn:
        link = resets.create_link(
            conn, email=email, created_by=call.actor.name, unleash_url=call.settings.unleash_url
        )
    return http.json({"resetPasswordUrl": link})


@route(
    router,
    Operation(
        operation_id="searchUsers",
        method="GET",
        path=USERS + "/search",
        tag="Users",
        auth=Auth.ADMIN,
        query={"q": {"type": "string"}},
        answer=Answer(200, schemas.USERS_SEARCH),
    ),
)
def search_users(call: Call[None]) -> Response:
    query = call.query("q")
    with call.read() as conn:
        return http.json(admin.search_users(conn, query=query))


@route(
    router,
    Operation(
        operation_id="getBaseUsersAndGroups",
        method="GET",
        path=USERS + "/access",
        tag="Users",
        auth=Auth.ADMIN,
        answer=Answer(200, schemas.USERS_GROUPS_BASE),
    ),
)
def get_base_users_and_groups(call: Call[None]) -> Response:
    with call.read() as conn:
        return http.json(admin.base_users_and_groups(conn))


@route(
    router,
    Operation(
        operation_id="getAdminCount",
        method="GET",
        path=USERS + "/admin-count",
        tag="Users",
        auth=Auth.ADMIN,
        permissions=(permissions.ADMIN,),
        answer=Answer(200, schemas.ADMIN_COUNT),
    ),
)
def get_admin_count(call: Call[None]) -> Response:
    call.require()
    with call.read() as conn:
        return http.json(admin.admin_count(conn))


@route(
    router,
    Operation(
        operation_id="getInactiveUsers",
        method="GET",
        path=USERS + "/inactive",
        tag="Users",
        auth=Auth.ADMIN,
        permissions=(permissions.ADMIN,),
        answer=Answer(200, schemas.INACTIVE_USERS),
    ),
)
def get_inactive_users(call: Call[None]) -> Response:
    call.require()
    with call.read() as conn:
        return http.json(admin.inactive_users(conn))


@route(
    router,
    Operation(
        operation_id="deleteInactiveUsers",
        method="POST",
        path=USERS + "/inactive/delete",
        tag="Users",
        auth=Auth.ADMIN,
        permissions=(permissions.ADMIN,),
        body=schemas.IDS,
        answer=Answer(200),
    ),
)
def delete_inactive_users(call: Call[Ids]) -> Response:
    call.require()
    ids = call.body["ids"]
    with call.write(refresh=False) as conn:
        admin.delete_users(conn, ids=ids, actor=call.actor)
    return http.empty(200)


@route(
    router,
    Operation(
        operation_id="getUser",
        method="GET",
        path=USER,
        tag="Users",
        auth=Auth.ADMIN,
        permissions=(permissions.ADMIN,),
        path_params=_ID,
        answer=Answer(200, schemas.USER),
    ),
)
def get_user(call: Call[None]) -> Response:
    call.require()
    user_id = call.path_int("id")
    with call.read() as conn:
        return http.json(views.user_json(admin.get_user(conn, user_id=user_id)))


@route(
    router,
    Operation(
        operation_id="updateUser",
        method="PUT",
        path=USER,
        tag="Users",
        auth=Auth.ADMIN,
        permissions=(permissions.ADMIN,),
        path_params=_ID,
        body=schemas.UPDATE_USER,
        answer=Answer(200, schemas.USER),
    ),
)
def update_user(call: Call[UpdateUser]) -> Response:
    call.require()
    user_id = call.path_int("id")
    data = call.body
    with call.write(refresh=False) as conn:
        updated = admin.update_user(conn, user_id=user_id, body=data, actor=call.actor)
    return http.json(updated)


@route(
    router,
    Operation(
        operation_id="deleteScimUsers",
        method="DELETE",
        path=USERS + "/scim-users",
        tag="Users",
        auth=Auth.ADMIN,
        permissions=(permissions.ADMIN,),
        answer=Answer(200),
    ),
)
def delete_scim_users(call: Call[None]) -> Response:
    """Unleash deletes the users SCIM provisioned, and writes events only when there were
    some; leash provisions no user through SCIM, so there are never any. Declared before
    deleteUser so that "scim-users" is not read as a user id."""
    call.require()
    return http.empty(200)


@route(
    router,
    Operation(
        operation_id="deleteUser",
        method="DELETE",
        path=USER,
        tag="Users",
        auth=Auth.ADMIN,
        permissions=(permissions.ADMIN,),
        path_params=_ID,
        answer=Answer(200),
    ),
)
def delete_user(call: Call[None]) -> Response:
    call.require()
    user_id = call.path_int("id")
    with call.write(refresh=False) as conn:
        admin.delete_user(conn, user_id=user_id, actor=call.actor)
    return http.empty(200)


@route(
    router,
    Operation(
        operation_id="changeUserPassword",
        method="POST",
        path=USER + "/change-password",
        tag="Users",
        auth=Auth.ADMIN,
        permissions=(permissions.ADMIN,),
        path_params=_ID,
        body=schemas.PASSWORD,
        answer=Answer(200),
    ),
)
def change_user_password(call: Call[Password]) -> Response:
    call.require()
    user_id = call.path_int("id")
    data = call.body
    with call.write(refresh=False) as conn:
        admin.change_password(conn, user_id=user_id, password=data["password"])
    return http.empty(200)


# --- password reset links (/auth/reset): no credentials, the token is the proof ---

RESET = "/auth/reset"


def _end_session(call: Call[Any], conn: Connection) -> None:
    """Unleash ends the caller's own session when a reset link is opened or used."""
    sid = call.request.cookies.get(SESSION_COOKIE)
    if sid:
        sessions.logout(conn, sid=sid)


@route(
    router,
    Operation(
        operation_id="validateToken",
        method="GET",
        path=RESET + "/validate",
        tag="Auth",
        auth=Auth.NONE,
        query={"token": {"type": "string"}},
        answer=Answer(200, schemas.TOKEN_USER),
    ),
)
def validate_token(call: Call[None]) -> Response:
    token = call.query("token")
    with call.write(refresh=False) as conn:
        user = resets.token_user(conn, token=token)
        _end_session(call, conn)
    return http.json(user)


@route(
    router,
    Operation(
        operation_id="changePassword",
        method="POST",
        path=RESET + "/password",
        tag="Auth",
        auth=Auth.NONE,
        body=schemas.RESET_PASSWORD,
        answer=Answer(200),
    ),
)
def change_password(call: Call[ResetPassword]) -> Response:
    data = call.body
    with call.write(refresh=False) as conn:
        _end_session(call, conn)
    with call.read() as conn:
        reset = resets.start_reset(conn, token=data["token"], password=data["password"])
    password_hash = resets.prepare_hash(reset, password=data["password"])
    with call.write(refresh=False) as conn:
        resets.finish_reset(conn, reset=reset, password_hash=password_hash)
    return http.empty(200)


@route(
    router,
    Operation(
        operation_id="validatePassword",
        method="POST",
        path=RESET + "/validate-password",
        tag="Auth",
        auth=Auth.NONE,
        body=schemas.VALIDATE_PASSWORD,
        answer=Answer(200),
    ),
)
def validate_password(call: Call[ValidatePassword]) -> Response:
    credentials.require_new_password(call.body["password"])
    return http.empty(200)


@route(
    router,
    Operation(
        operation_id="sendResetPasswordEmail",
        method="POST",
        path=RESET + "/password-email",
        tag="Auth",
        auth=Auth.NONE,
        body=schemas.EMAIL,
        answer=Answer(200),
        # Unleash's limiter: one request a minute per address, express-rate-limit's page.
        bare={429: HTML},
    ),
)
def send_reset_password_email(call: Call[Email]) -> Response:
    headers = limits.check(call.request, "password_reset")
    email = call.body["email"]
    with call.write(refresh=False) as conn:
        # No e-mail server: the link is made (and replaces any earlier one) but sent nowhere,
        # as Unleash does without e-mail configured. Only an admin can read a link back.
        resets.create_link(
            conn, email=email, created_by=SYSTEM_ACTOR.name, unleash_url=call.settings.unleash_url
        )
    return http.empty(200, headers=headers)


# --- project roles (Unleash Enterprise's project access endpoints) ---


@route(
    router,
    Operation(
        operation_id="getProjectAccess",
        method="GET",
        path=PROJECT + "/access",
        tag="Projects",
        auth=Auth.ADMIN,
        # Members and their emails are for those who run the project, as in Unleash.
        permissions=(permissions.UPDATE_PROJECT, permissions.PROJECT_USER_ACCESS_READ),
        answer=Answer(200, schemas.PROJECT_ACCESS),
    ),
)
def get_project_access(call: Call[None]) -> Response:
    project = call.path_str("projectId")
    call.require(project=project)
    with call.read() as conn:
        return http.json(access.project_access(conn, project=project))


@route(
    router,
    Operation(
        operation_id="addAccessToProject",
        method="POST",
        path=PROJECT + "/role/{roleId}/access",
        tag="Projects",
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_PROJECT, permissions.PROJECT_USER_ACCESS_WRITE),
        path_params={"roleId": INTEGER},
        body=schemas.ACCESS,
        answer=Answer(200),
    ),
)
def add_access_to_project(call: Call[Access]) -> Response:
    project = call.path_str("projectId")
    call.require(project=project)
    role_id = call.path_int("roleId")
    data = call.body
    user_ids = [user["id"] for user in data.get("users") or []]
    with call.write(refresh=False) as conn:
        access.add_project_access(
            conn, project=project, role_id=role_id, user_ids=user_ids, actor=call.actor
        )
    return http.empty(200)


@route(
    router,
    Operation(
        operation_id="removeUserFromRole",
        method="DELETE",
        path=PROJECT + "/users/{userId}/roles/{roleId}",
        tag="Projects",
        auth=Auth.ADMIN,
        permissions=(permissions.UPDATE_PROJECT, permissions.PROJECT_USER_ACCESS_WRITE),
        path_params={"userId": INTEGER, "roleId": INTEGER},
        answer=Answer(200),
    ),
)
def remove_user_from_role(call: Call[None]) -> Response:
    project = call.path_str("projectId")
    call.require(project=project)
    user_id = call.path_int("userId")
    role_id = call.path_int("roleId")
    with call.write(refresh=False) as conn:
        access.remove_project_access(
            conn, project=project, role_id=role_id, user_id=user_id, actor=call.actor
        )
    return http.empty(200)
