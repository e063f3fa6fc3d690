"""The Unleash-Client-Spec header decides between segment ids and inlined constraints."""

from __future__ import annotations

import semver

from leash.errors import BadDataError

SEGMENTS_FROM = semver.Version(4, 2, 0)


def wants_inline_segments(header: str | None) -> bool:
    if header is None:
        return True
    value = header.strip()
    if not value[:1].isdigit():
        raise BadDataError.single(f'Invalid prefix in the Unleash-Client-Spec header: "{header}".')
    try:
        version = semver.Version.parse(value)
    except ValueError:
        raise BadDataError.single(f'Invalid SemVer in the Unleash-Client-Spec header: "{header}".') from None
    return version < SEGMENTS_FROM
