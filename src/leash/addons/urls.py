"""Which URLs an integration may call, as Unleash 8.2's validate-url: http(s) only, and unless
private URLs are allowed, every address the host resolves to must be public. `check` answers
the addresses it checked, so a delivery connects to one of them and a name that resolves again
to a private address (DNS rebinding) is never called."""

from __future__ import annotations

import ipaddress
import socket
from typing import Final
from urllib.parse import urlsplit

MAX_URL: Final = 2000

_V4: Final = tuple(
    ipaddress.IPv4Network(n)
    for n in (
        "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16",
        "0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15",
        "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
    )
)  # fmt: skip
_V6: Final = tuple(
    ipaddress.IPv6Network(n)
    for n in (
        "::1/128", "::/128", "fe80::/10", "fc00::/7", "ff00::/8", "2001:db8::/32",
        "2002::/16", "64:ff95::/96", "::ffff:0:0/96",
    )
)  # fmt: skip


class RefusedUrl(ValueError):
    """Not a URL an integration may call."""


def is_public(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv4Address):
        return not any(ip in net for net in _V4)
    return not any(ip in net for net in _V6)


def _resolve(host: str) -> list[str]:
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise RefusedUrl(f"Hostname did not resolve: {host}") from error
    return [str(info[4][0]) for info in infos]


def check(url: str, *, allow_private: bool) -> list[str]:
    """The addresses `url`'s host resolves to, all allowed; raises RefusedUrl for what
    Unleash's validateUrl refuses (and for what it cannot parse)."""
    if len(url) > MAX_URL or any(c.isspace() or ord(c) < 32 for c in url):
        raise RefusedUrl("Invalid URL")
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        _ = parts.port
    except ValueError as error:
        raise RefusedUrl("Invalid URL") from error
    if parts.scheme.lower() not in ("http", "https"):
        raise RefusedUrl(f"Invalid protocol: {parts.scheme}:")
    if not host:
        raise RefusedUrl("Invalid URL")
    addresses = _resolve(host)
    if not addresses:
        raise RefusedUrl(f"Hostname did not resolve: {host}")
    if not allow_private:
        blocked = next((a for a in addresses if not is_public(a)), None)
        if blocked is not None:
            raise RefusedUrl(f"URL resolves to a non-public address: {blocked}")
    return addresses
