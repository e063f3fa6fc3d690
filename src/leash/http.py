"""HTTP helpers shared by every router: JSON bodies in, JSON bodies out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import orjson
from fastapi import Request, Response

from leash.errors import BadDataError, ContentTypeError
from leash.validation import Schema, nesting_depth, validate


@dataclass(frozen=True)
class RawBody:
    content: bytes
    content_type: str | None


async def raw_body(request: Request) -> RawBody:
    """Read the body without judging it: auth and permission checks come first."""
    return RawBody(content=await request.body(), content_type=request.headers.get("content-type"))


def is_json_content_type(content_type: str | None) -> bool:
    if not content_type:
        return False
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def require_json(body: RawBody) -> None:
    if not is_json_content_type(body.content_type):
        raise ContentTypeError(provided=body.content_type)


def read_json(body: RawBody, *, check_type: bool = True) -> Any:
    """The body as JSON, not yet checked against a schema (see `checked`)."""
    if check_type:
        require_json(body)
    if not body.content.strip():
        # Express hands an empty JSON body to the handler as {}.
        return {}
    try:
        value = orjson.loads(body.content)
    except orjson.JSONDecodeError as error:
        raise BadDataError.many(
            [{"message": f"The request body is not valid JSON: {error.msg}."}], with_id=True
        ) from None
    if b"\\u0000" in body.content:
        _reject_nul(value, "/body")
    return value


def checked(
    value: Any,
    schema: Schema | None,
    *,
    shallow: bool = False,
    check: Callable[[Any], Any] | None = None,
) -> Any:
    """`value` validated against `schema` (the one it is documented with), or by `check` (what
    checks that schema with some of Unleash's wording), nesting bounded; `shallow` says the
    body had too few brackets to nest too deep."""
    if check is not None:
        value = check(value)
    elif schema is not None:
        value = validate(value, schema)
    if not shallow:
        _limit_nesting(value)
    return value


def parse_json(
    body: RawBody,
    schema: Schema | None = None,
    *,
    check_type: bool = True,
    check: Callable[[Any], Any] | None = None,
) -> Any:
    value = read_json(body, check_type=check_type)
    brackets = body.content.count(b"[") + body.content.count(b"{")
    return checked(value, schema, shallow=brackets <= MAX_NESTING, check=check)


# orjson reads 1,024 levels, but writes only 254 and Python's own recursion (str(), the
# engine, SQLAlchemy's JSON columns) ends near 1,000: a body that passed its schema and still
# nests deeper than this is refused, so nothing behind the route meets it. Unleash has no such
# bound; its schemas leave no room for data this deep except in free-form values.
MAX_NESTING = 128


def _limit_nesting(value: Any) -> None:
    if nesting_depth(value, limit=MAX_NESTING) > MAX_NESTING:
        message = (
            f"The request body nests arrays and objects more than {MAX_NESTING} levels deep, "
            "which leash does not accept."
        )
        raise BadDataError.many([{"message": message, "path": "/body"}], with_id=True)


NUL_MESSAGE = "must not contain the NUL character (\\u0000): PostgreSQL cannot store it"


def _reject_nul(value: Any, root: str) -> None:
    """PostgreSQL refuses NUL in text; refuse it up front, on every database, as a 400.

    Iterative: orjson accepts 1,024 levels of nesting, deeper than Python's recursion limit."""
    pending: list[tuple[Any, str]] = [(value, root)]
    while pending:
        item, path = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                message = f"The `{path}` property {NUL_MESSAGE}."
                raise BadDataError.many([{"message": message, "path": path}])
        elif isinstance(item, dict):
            for key, child in item.items():
                pending.append((key, path))
                pending.append((child, f"{path}/{key}"))
        elif isinstance(item, list):
            pending.extend((child, f"{path}/{index}") for index, child in enumerate(item))


def json(body: Any, *, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        content=orjson.dumps(body),
        status_code=status_code,
        headers=headers,
        media_type="application/json; charset=utf-8",
    )


def empty(status_code: int, *, headers: dict[str, str] | None = None) -> Response:
    return Response(status_code=status_code, headers=headers)
