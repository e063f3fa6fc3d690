"""A link's URL normalised as Unleash's normalize-url does (the parts of it that matter for
links: https by default, lower-case host without www., no default port, no trailing slash,
sorted query parameters), by plain parsing."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from leash.errors import BadDataError

MAX_URL = 2000
_DEFAULT_PORTS = {"https": 443, "http": 80}


def normalise(url: str) -> tuple[str, str | None]:
    """(the normalised URL, its domain without the suffix), or 400 Invalid URL."""
    invalid = BadDataError.single(f"Invalid URL: {url[:MAX_URL]}")
    text = url.strip()
    if not text or len(text) > MAX_URL or any(c.isspace() for c in text):
        raise invalid
    if text.startswith("//"):
        text = "https:" + text
    elif "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise invalid from None
    host = (parts.hostname or "").lower()
    if not host or parts.scheme.lower() not in ("http", "https"):
        raise invalid
    scheme = parts.scheme.lower()
    if host.startswith("www.") and "." in host[4:]:
        host = host[4:]
    netloc = host
    if parts.username is not None:
        credentials = parts.username + (f":{parts.password}" if parts.password else "")
        netloc = f"{credentials}@{host}"
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        netloc += f":{port}"
    path = parts.path.rstrip("/")
    query = "&".join(sorted(p for p in parts.query.split("&") if p)) if parts.query else ""
    normalised = urlunsplit((scheme, netloc, path, query, parts.fragment))
    labels = host.split(".")
    return normalised, labels[-2] if len(labels) >= 2 else None
