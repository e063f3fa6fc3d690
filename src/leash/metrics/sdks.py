"""Which SDK versions Unleash 8.2 calls outdated: its table of minimum versions, compared as
node-semver compares strict versions (`semver.valid(v) && semver.lt(v, minimum)`)."""

from __future__ import annotations

# Unleash 8.2.0's findOutdatedSdks table (old SDK names, then the names after the rename).
MINIMUM_VERSIONS: dict[str, str] = {
    "unleash-client-node": "5.3.2",
    "unleash-client-nextjs": "1.6.2",
    "unleash-client-java": "9.2.0",
    "unleash-client-go": "4.1.0",
    "unleash-client-python": "5.11.0",
    "unleash-client-ruby": "5.0.0",
    "unleash-client-dotnet": "4.1.3",
    "unleash-client-php": "2.3.0",
    "unleash-node-sdk": "6.6.0",
    "unleash-nextjs-sdk": "1.6.2",
    "unleash-java-sdk": "11.0.2",
    "unleash-go-sdk": "5.0.3",
    "unleash-python-sdk": "6.3.0",
    "unleash-ruby-sdk": "6.3.1",
    "unleash-dotnet-sdk": "5.3.0",
    "unleash-php-sdk": "2.9.1",
}

# node-semver's MAX_LENGTH and Number.MAX_SAFE_INTEGER.
_MAX_LENGTH = 256
_MAX_SAFE_INTEGER = 2**53 - 1
_ALNUM = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-")

Prerelease = tuple[tuple[int, int | str], ...]
Version = tuple[int, int, int, Prerelease]


def _digits(text: str) -> bool:
    return bool(text) and all("0" <= c <= "9" for c in text)


def _numeric(text: str) -> int | None:
    """A numeric identifier: digits without a leading zero, at most a safe integer."""
    if not _digits(text) or (len(text) > 1 and text[0] == "0") or len(text) > 16:
        return None
    number = int(text)
    return number if number <= _MAX_SAFE_INTEGER else None


def parse(text: str) -> Version | None:
    """A strict semantic version (node-semver's FULL form, `v` prefix allowed), or None."""
    text = text.strip()
    if len(text) > _MAX_LENGTH:
        return None
    if text.startswith("v"):
        text = text[1:]
    text, _, build = text.partition("+")
    if _ and not all(part and set(part) <= _ALNUM for part in build.split(".")):
        return None
    core, dash, pre = text.partition("-")
    parts = core.split(".")
    if len(parts) != 3:
        return None
    numbers = [_numeric(part) for part in parts]
    if any(number is None for number in numbers):
        return None
    identifiers: list[tuple[int, int | str]] = []
    if dash:
        for part in pre.split("."):
            if not part or not set(part) <= _ALNUM:
                return None
            if _digits(part):
                number = _numeric(part)
                if number is None:
                    return None
                identifiers.append((0, number))  # numeric identifiers sort first
            else:
                identifiers.append((1, part))
    major, minor, patch = (n for n in numbers if n is not None)
    return major, minor, patch, tuple(identifiers)


def _key(version: Version) -> tuple[int, int, int, int, Prerelease]:
    major, minor, patch, pre = version
    # A release sorts after its prereleases.
    return major, minor, patch, 0 if pre else 1, pre


def is_outdated(sdk_version: str | None) -> bool:
    """`name:version` older than Unleash's minimum for that SDK name."""
    if not sdk_version:
        return False
    parts = sdk_version.split(":")
    minimum = MINIMUM_VERSIONS.get(parts[0])
    version = parse(parts[1]) if len(parts) > 1 else None
    if minimum is None or version is None:
        return False
    floor = parse(minimum)
    return floor is not None and _key(version) < _key(floor)


def outdated(sdk_versions: list[str]) -> list[str]:
    """Unleash's findOutdatedSDKs: the distinct outdated ones, in their order."""
    return [v for v in dict.fromkeys(sdk_versions) if is_outdated(v)]
