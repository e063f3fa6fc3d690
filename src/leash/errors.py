"""One error tree for leash, rendered in Unleash's error body shape."""

from __future__ import annotations

import uuid
from typing import Any


class LeashError(Exception):
    """An error with an HTTP status and Unleash's body: {id?, name, message, details}."""

    status_code = 500
    name = "UnknownError"
    # Unleash's middleware errors carry an id; errors thrown from handlers do not.
    with_id = False

    def __init__(
        self,
        message: str,
        *,
        details: list[dict[str, Any]] | None = None,
        with_id: bool | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details if details is not None else [{"message": message}]
        if with_id is not None:
            self.with_id = with_id

    def extras(self) -> dict[str, Any]:
        return {}

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {}
        if self.with_id:
            body["id"] = str(uuid.uuid4())
        body["name"] = self.name
        body["message"] = self.message
        body["details"] = self.details
        body.update(self.extras())
        return body


BAD_DATA_PREFIX = "Request validation failed: your request body or params contain invalid data"


class BadDataError(LeashError):
    status_code = 400
    name = "BadDataError"

    @classmethod
    def single(cls, message: str, *, with_id: bool = False) -> BadDataError:
        return cls(f"{BAD_DATA_PREFIX}: {message}", details=[{"message": message}], with_id=with_id)

    @classmethod
    def many(cls, details: list[dict[str, Any]], *, with_id: bool = True) -> BadDataError:
        return cls(
            f"{BAD_DATA_PREFIX}. Refer to the `details` list for more information.",
            details=details,
            with_id=with_id,
        )


class OwaspValidationError(LeashError):
    """A new password that fails the OWASP strength test Unleash runs (leash.users.passwords)."""

    status_code = 400
    name = "OwaspValidationError"

    def __init__(self, errors: list[str]) -> None:
        super().__init__(errors[0], details=[{"validationErrors": errors, "message": errors[0]}])


class ExceedsLimitError(LeashError):
    status_code = 400
    name = "ExceedsLimitError"


class AuthenticationRequired(LeashError):
    status_code = 401
    name = "AuthenticationRequired"
    with_id = True

    def __init__(self, *, base_path: str = "") -> None:
        self.path = f"{base_path}/auth/simple/login"
        super().__init__(
            "You must log in to use Unleash. Your request had no authorization header, "
            f"so we could not authorize you. Try logging in at {self.path}"
        )

    def extras(self) -> dict[str, Any]:
        return {"path": self.path, "type": "password", "defaultHidden": False}


class UnauthorizedError(LeashError):
    status_code = 401
    name = "UnauthorizedError"
    with_id = True


class PasswordMismatch(LeashError):
    """A login whose username and password do not match (or name nobody: not revealed)."""

    status_code = 401
    name = "PasswordMismatch"

    def __init__(self) -> None:
        super().__init__(
            "The combination of password and username you provided is invalid. If you have "
            "forgotten your password, visit /forgotten-password or get in touch with your "
            "instance administrator."
        )


class PermissionError_(LeashError):
    status_code = 403
    name = "PermissionError"
    with_id = True

    def __init__(self, permissions: list[str]) -> None:
        self.permissions = permissions
        if len(permissions) == 1:
            message = (
                "You don't have the required permissions to perform this operation. "
                f'To perform this action, you need the "{permissions[0]}" permission.'
            )
        else:
            listed = ", ".join(f'"{p}"' for p in permissions)
            message = (
                "You don't have the required permissions to perform this operation. "
                f"To perform this action, you need one of the following permissions: {listed}."
            )
        super().__init__(message)

    def extras(self) -> dict[str, Any]:
        return {"permissions": self.permissions}


class InvalidOperationError(LeashError):
    """A change Unleash refuses outright: moving a strategy to another flag or project,
    archiving a flag other flags depend on."""

    status_code = 403
    name = "InvalidOperationError"


class OperationDeniedError(LeashError):
    """A change that is made through another endpoint (a flag's variants)."""

    status_code = 403
    name = "OperationDeniedError"


class ArchivedFeatureError(LeashError):
    status_code = 400
    name = "ArchivedFeatureError"


class NotFoundError(LeashError):
    status_code = 404
    name = "NotFoundError"


class NameExistsError(LeashError):
    status_code = 409
    name = "NameExistsError"


class ContentTypeError(LeashError):
    status_code = 415
    name = "ContentTypeError"
    with_id = True

    def __init__(self, *, provided: str | None) -> None:
        what = provided if provided else "you didn't provide one"
        super().__init__(
            f"We do not accept the content-type you provided ({what}). Try using one of the "
            "content-types we do accept instead (application/json) and make sure the body is "
            "in the corresponding format."
        )


class ServiceUnavailableError(LeashError):
    status_code = 503
    name = "ServiceUnavailableError"


class PlainStatus(Exception):
    """Some Unleash answers are a bare status, or a body of only {"message"}."""

    def __init__(self, status_code: int, message: str | None = None) -> None:
        super().__init__(message or str(status_code))
        self.status_code = status_code
        self.message = message
