"""The answer to a client-features request from its rendered body: shared by the route and the
hot path (leash.hot_paths)."""

from __future__ import annotations

from leash.client_api.rendering import Rendered

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
