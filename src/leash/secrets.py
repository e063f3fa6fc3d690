"""Digests of secrets: API tokens, personal access tokens, session ids, gravatar keys.

A leaf module (it imports nothing of leash) so that authentication, tokens and users can all
hash without importing each other.
"""

from __future__ import annotations

import hashlib


def sha256(value: str) -> str:
    # Secrets carry 224 random bits, so a plain digest is as good as a slow hash here and
    # keeps the lookup on every request cheap.
    return hashlib.sha256(value.encode()).hexdigest()


def gravatar_url(identity: str) -> str:
    return f"https://gravatar.com/avatar/{sha256(identity)}?s=42&d=retro&r=g"
