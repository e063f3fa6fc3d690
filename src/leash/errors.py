"""One error tree for leash: what a request can fail with, rendered by the app's handlers.

    Exception
    ├── LeashError                    Unleash's error body {id?, name, message, details}
    │   ├── BadDataError              400  the request does not validate
    │   ├── OwaspValidationError      400  a new password too weak
    │   ├── PasswordUndefinedError    400  a new password empty or missing
    │   ├── PasswordPreviouslyUsedError 400  a new password the user had before
    │   ├── ExceedsLimitError         400  over a resource limit
    │   ├── ArchivedFeatureError      400  the flag is archived
    │   ├── AuthenticationRequired    401  no credentials at all
    │   ├── UnauthorizedError         401  credentials that are not accepted
    │   ├── PasswordMismatch          401  a login with the wrong password or username
    │   ├── InvalidTokenError         401  a password reset token unknown, used or expired
    │   ├── PermissionError_          403  valid credentials, missing permission
    │   ├── InvalidOperationError     403  a change Unleash refuses outright
    │   ├── OperationDeniedError      403  a change made through another endpoint
    │   ├── CrossOriginRequestError   403  a cookie-authenticated write from another origin
    │   ├── NotFoundError             404
    │   ├── NotImplementedByFrontend  405  a backend SDK's path under /api/frontend
    │   ├── NameExistsError           409
    │   ├── ConflictError             409  a change that conflicts with what uses the object
    │   ├── PayloadTooLargeError      413
    │   ├── RateLimitError            429  Unleash's own limit (one reset link a minute a user)
    │   ├── ContentTypeError          415
    │   ├── HeadersTooLargeError      431
    │   ├── UnguardedWrite            500  a bug: a route wrote outside its unit of work
    │   ├── UnrecordedWrite           500  a bug: a write recorded no event and no change
    │   └── ServiceUnavailableError   503
    └── PlainStatus                   a bare status, or a body of only {"message"}

Not here: `limits.RateLimited` (429, express-rate-limit's plain text, raised with the limiter's
headers) and the engine's own errors (`engine/errors.py`: the engine imports nothing of leash,
and its errors never reach a client).
"""

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


# A body, query or path that does not validate (ajv's and Joi's messages).
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


# A new password that fails the OWASP strength test Unleash runs (users/passwords.py).
class OwaspValidationError(LeashError):
    status_code = 400
    name = "OwaspValidationError"

    def __init__(self, errors: list[str]) -> None:
        super().__init__(errors[0], details=[{"validationErrors": errors, "message": errors[0]}])


# More of something than the instance allows (strategies, constraint values, ...).
class ExceedsLimitError(LeashError):
    status_code = 400
    name = "ExceedsLimitError"


# No credentials: Unleash points at its login page.
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


# Credentials that are present but not accepted.
class UnauthorizedError(LeashError):
    status_code = 401
    name = "UnauthorizedError"
    with_id = True


# A login whose username and password do not match, or that names nobody (not revealed).
class PasswordMismatch(LeashError):
    status_code = 401
    name = "PasswordMismatch"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or "The combination of password and username you provided is invalid. If you have "
            "forgotten your password, visit /forgotten-password or get in touch with your "
            "instance administrator."
        )


# Valid credentials without the permission; `_` keeps Python's PermissionError usable.
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


# A change to a flag that is archived.
class ArchivedFeatureError(LeashError):
    status_code = 400
    name = "ArchivedFeatureError"


# The object or path asked for does not exist.
class NotFoundError(LeashError):
    status_code = 404
    name = "NotFoundError"


# A name that is taken.
class NameExistsError(LeashError):
    status_code = 409
    name = "NameExistsError"


# A change that what uses the object forbids (a context field still used by strategies).
class ConflictError(LeashError):
    status_code = 409
    name = "ConflictError"


# A body sent with a content type other than JSON.
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


# A cookie-authenticated unsafe request from another origin (web_security).
class CrossOriginRequestError(LeashError):
    status_code = 403
    name = "ForbiddenError"
    with_id = True


# A backend SDK's path under /api/frontend, refused as Unleash's frontend API refuses it.
class NotImplementedByFrontend(LeashError):
    status_code = 405
    name = "NotImplementedError"
    with_id = True


# A body over the limit (limits.RequestLimits); Unleash's express answers a bare page.
class PayloadTooLargeError(LeashError):
    status_code = 413
    name = "PayloadTooLargeError"
    with_id = True


# Headers over Node's limit (limits.RequestLimits); Node answers 431 with no body.
class HeadersTooLargeError(LeashError):
    status_code = 431
    name = "RequestHeaderFieldsTooLargeError"
    with_id = True


class UnguardedWrite(LeashError):
    """A route wrote outside `unit_of_work`: a bug, answered 500 before anything commits."""

    name = "UnguardedWrite"


class UnrecordedWrite(LeashError):
    """A unit of work that refreshes SDKs changed rows but recorded neither an event nor a
    change-log row: other processes and the audit log would miss it."""

    name = "UnrecordedWrite"


# The database is not available; the client may retry.
class ServiceUnavailableError(LeashError):
    status_code = 503
    name = "ServiceUnavailableError"


class PlainStatus(Exception):
    """Some Unleash answers are a bare status, or a body of only {"message"}."""

    def __init__(self, status_code: int, message: str | None = None) -> None:
        super().__init__(message or str(status_code))
        self.status_code = status_code
        self.message = message


# An empty or missing new password (before the OWASP test runs).
class PasswordUndefinedError(LeashError):
    status_code = 400
    name = "PasswordUndefinedError"

    def __init__(self) -> None:
        message = "Password cannot be empty or undefined"
        super().__init__(message, details=[{"validationErrors": [], "message": message}])


# A new password among the user's last ones.
class PasswordPreviouslyUsedError(LeashError):
    status_code = 400
    name = "PasswordPreviouslyUsedError"

    def __init__(self) -> None:
        super().__init__("You've previously used this password. Please use a new password.")


# A password reset token that is unknown, expired or already used.
class InvalidTokenError(LeashError):
    status_code = 401
    name = "InvalidTokenError"

    def __init__(self) -> None:
        super().__init__("Token was not valid")


# A limit Unleash words itself, in its error body (not express-rate-limit's page).
class RateLimitError(LeashError):
    status_code = 429
    name = "RateLimitError"
