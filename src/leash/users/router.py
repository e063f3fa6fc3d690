"""HTTP for users: password login and logout, /api/admin/user (me and my tokens),
/api/admin/user-admin, and project role assignment."""

from __future__ import annotations

from email.utils import format_datetime
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import Engine

from leash import http, permissions
from leash.auth import bearer_secret, require_admin
from leash.errors import BadDataError
from leash.http import RawBody, raw_body
from leash.identity import SESSION_COOKIE, Principal
from leash.tokens.service import stored_datetime
from leash.users import schemas, service
from leash.validation import parse_int_param
from leash.web_security import request_scheme

auth_router = APIRouter(tags=["Auth"])
me_router = APIRouter(prefix="/api/admin/user", tags=["Users"])
admin_router = APIRouter(prefix="/api/admin/user-admin", tags=["Users"])
access_router = APIRouter(prefix="/api/admin/projects", tags=["Projects"])



def _db(request: Request) -> Engine:
    engine: Engine = request.app.state.db
    return engine


# --- login and logout ---


@auth_router.post("/auth/simple/login", operation_id="login")
def login(request: Request, body: RawBody = Depends(raw_body)) -> Response:
    data = http.parse_json(body, schemas.LOGIN)
    # Three steps, so the slow password check holds no transaction (SQLite's write lock least
    # of all) and attempts in parallel count against each other: see service.start_login.
    with _db(request).begin() as conn:
        attempt = service.start_login(conn, username=data["username"])
    matched = service.password_matches(attempt, password=data["password"])
    with _db(request).begin() as conn:
        result = service.finish_login(conn, attempt=attempt, matched=matched)
    if result is None:
        error = service.PasswordMismatch()
        return http.json(error.body(), status_code=error.status_code, headers=attempt.headers)
    response = http.json(result.user, headers=attempt.headers)
    # Written by hand to match Unleash's attribute spelling (`SameSite=Lax`).
    cookie = (
        f"{SESSION_COOKIE}={result.sid}; Path=/; "
        f"Expires={format_datetime(result.expires_at, usegmt=True)}; HttpOnly; SameSite=Lax"
    )
    scheme = request_scheme(request.scope, trust_proxy=request.app.state.settings.leash_trust_proxy)
    if scheme == "https":
        cookie += "; Secure"
    response.headers.append("Set-Cookie", cookie)
    return response


@auth_router.post("/logout", operation_id="logout")
def logout(request: Request) -> Response:
    sid = request.cookies.get(SESSION_COOKIE)
    if sid:
        with _db(request).begin() as conn:
            service.logout(conn, sid=sid)
    location = f"{request.app.state.settings.base_path}/"
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


@me_router.get("", operation_id="getMe")
def get_me(request: Request, principal: Principal = Depends(require_admin)) -> Response:
    via_session = not bearer_secret(request)
    with _db(request).connect() as conn:
        return http.json(service.me(conn, principal=principal, via_session=via_session))


def _own_user_id(principal: Principal) -> int:
    if principal.user_id is None:
        # An API token is not a user and cannot own personal access tokens.
        raise BadDataError.single("Personal access tokens belong to users; log in as a user.")
    return principal.user_id


@me_router.get("/tokens", operation_id="getPats")
def get_pats(request: Request, principal: Principal = Depends(require_admin)) -> Response:
    if principal.user_id is None:
        return http.json({"pats": []})
    with _db(request).connect() as conn:
        return http.json(service.list_pats(conn, user_id=principal.user_id))


@me_router.post("/tokens", operation_id="createPat", status_code=201)
def create_pat(
    request: Request,
    principal: Principal = Depends(require_admin),
    body: RawBody = Depends(raw_body),
) -> Response:
    data = http.parse_json(body, schemas.CREATE_PAT)
    user_id = _own_user_id(principal)
    with _db(request).begin() as conn:
        created = service.create_pat(
            conn,
            user_id=user_id,
            description=data["description"],
            expires_at=stored_datetime(data["expiresAt"]),
            actor=principal.actor,
        )
    return http.json(created, status_code=201)


@me_router.delete("/tokens/{id}", operation_id="deletePat")
def delete_pat(
    request: Request, id: str, principal: Principal = Depends(require_admin)
) -> Response:
    pat_id = parse_int_param(id, name="id")
    user_id = _own_user_id(principal)
    with _db(request).begin() as conn:
        service.delete_pat(conn, user_id=user_id, pat_id=pat_id, actor=principal.actor)
    return http.empty(200)


# --- /api/admin/user-admin ---


def _admin_only(principal: Principal) -> None:
    permissions.require_any(principal, permissions.ADMIN)


@admin_router.get("", operation_id="getUsers")
def get_users(request: Request, principal: Principal = Depends(require_admin)) -> Response:
    _admin_only(principal)
    with _db(request).connect() as conn:
        return http.json(service.list_users(conn))


@admin_router.post("", operation_id="createUser", status_code=201)
def create_user(
    request: Request,
    principal: Principal = Depends(require_admin),
    body: RawBody = Depends(raw_body),
) -> Response:
    _admin_only(principal)
    data = http.parse_json(body, schemas.CREATE_USER)
    with _db(request).begin() as conn:
        created = service.create_user(conn, body=data, actor=principal.actor)
    return http.json(created, status_code=201, headers={"Location": str(created["id"])})


@admin_router.get("/{id}", operation_id="getUser")
def get_user(request: Request, id: str, principal: Principal = Depends(require_admin)) -> Response:
    _admin_only(principal)
    user_id = parse_int_param(id, name="id")
    with _db(request).connect() as conn:
        return http.json(service.user_json(service.get_user(conn, user_id=user_id)))


@admin_router.put("/{id}", operation_id="updateUser")
def update_user(
    request: Request,
    id: str,
    principal: Principal = Depends(require_admin),
    body: RawBody = Depends(raw_body),
) -> Response:
    _admin_only(principal)
    user_id = parse_int_param(id, name="id")
    data: dict[str, Any] = http.parse_json(body, schemas.UPDATE_USER)
    with _db(request).begin() as conn:
        updated = service.update_user(conn, user_id=user_id, body=data, actor=principal.actor)
    return http.json(updated)


@admin_router.delete("/{id}", operation_id="deleteUser")
def delete_user(
    request: Request, id: str, principal: Principal = Depends(require_admin)
) -> Response:
    _admin_only(principal)
    user_id = parse_int_param(id, name="id")
    with _db(request).begin() as conn:
        service.delete_user(conn, user_id=user_id, actor=principal.actor)
    return http.empty(200)


@admin_router.post("/{id}/change-password", operation_id="changeUserPassword")
def change_user_password(
    request: Request,
    id: str,
    principal: Principal = Depends(require_admin),
    body: RawBody = Depends(raw_body),
) -> Response:
    _admin_only(principal)
    user_id = parse_int_param(id, name="id")
    data = http.parse_json(body, schemas.PASSWORD)
    with _db(request).begin() as conn:
        service.change_password(conn, user_id=user_id, password=data["password"])
    return http.empty(200)


# --- project roles (Unleash Enterprise's project access endpoints) ---


@access_router.get("/{projectId}/access", operation_id="getProjectAccess")
def get_project_access(
    request: Request, projectId: str, principal: Principal = Depends(require_admin)
) -> Response:
    # Members and their emails are for those who run the project, as in Unleash.
    permissions.require_any(principal, permissions.PROJECT_USER_ACCESS_READ, project=projectId)
    with _db(request).connect() as conn:
        return http.json(service.project_access(conn, project=projectId))


@access_router.post("/{projectId}/role/{roleId}/access", operation_id="addAccessToProject")
def add_access_to_project(
    request: Request,
    projectId: str,
    roleId: str,
    principal: Principal = Depends(require_admin),
    body: RawBody = Depends(raw_body),
) -> Response:
    permissions.require_any(principal, permissions.PROJECT_USER_ACCESS_WRITE, project=projectId)
    role_id = parse_int_param(roleId, name="roleId")
    data = http.parse_json(body, schemas.ACCESS)
    user_ids: list[int] = [user["id"] for user in data.get("users") or []]
    with _db(request).begin() as conn:
        service.add_project_access(
            conn, project=projectId, role_id=role_id, user_ids=user_ids, actor=principal.actor
        )
    return http.empty(200)


@access_router.delete(
    "/{projectId}/users/{userId}/roles/{roleId}", operation_id="removeUserFromRole"
)
def remove_user_from_role(
    request: Request,
    projectId: str,
    userId: str,
    roleId: str,
    principal: Principal = Depends(require_admin),
) -> Response:
    permissions.require_any(principal, permissions.PROJECT_USER_ACCESS_WRITE, project=projectId)
    user_id = parse_int_param(userId, name="userId")
    role_id = parse_int_param(roleId, name="roleId")
    with _db(request).begin() as conn:
        service.remove_project_access(
            conn, project=projectId, role_id=role_id, user_id=user_id, actor=principal.actor
        )
    return http.empty(200)
