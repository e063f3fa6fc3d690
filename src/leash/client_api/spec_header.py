"""The Unleash-Client-Spec header decides between segment ids and inlined constraints."""

from __future__ import annotations

import semver

from leash.errors import BadDataError

SEGMENTS_FROM = semver.Version(4, 2, 0)


def wants_inline_segments(header: str | None) -> bool:
    # Unleash treats an empty header as no header at all: an old SDK, inline mode.
    if not header:
        return True
    if not header[:1].isdigit():
        raise BadDataError.single(f'Invalid prefix in the Unleash-Client-Spec header: "{header}".')
    try:
        version = semver.Version.parse(header)
    except ValueError:
        version = None
    # Strict as node-semver's clean(): build metadata is refused, not ignored.
    if version is None or version.build is not None:
        raise BadDataError.single(f'Invalid SemVer in the Unleash-Client-Spec header: "{header}".')
    return version < SEGMENTS_FROM
