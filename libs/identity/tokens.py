"""Secrets for machine keys and personal tokens: `<kind>_<prefix>_<secret>`, stored as prefix + hash.

Secrets are 256-bit random, so a single SHA-256 is a safe, fast verifier (no password stretching
needed); the comparison is constant-time.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

__all__ = ["MACHINE_KEY_KIND", "PERSONAL_TOKEN_KIND", "new_secret", "hash_secret", "split_token", "verify", "new_id"]

MACHINE_KEY_KIND = "pomk"
PERSONAL_TOKEN_KIND = "popt"


def new_id(kind: str) -> str:
    """A new opaque resource id such as 'ptn_3f9a...'."""
    return f"{kind}_{secrets.token_hex(8)}"


def new_secret(kind: str) -> tuple[str, str]:
    """(full token to hand out once, public prefix)."""
    prefix = secrets.token_hex(6)
    return f"{kind}_{prefix}_{secrets.token_urlsafe(32)}", prefix


def hash_secret(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def split_token(token: str) -> tuple[str, str] | None:
    """(kind, prefix) of a well-formed token, else None."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] not in (MACHINE_KEY_KIND, PERSONAL_TOKEN_KIND) or not parts[1]:
        return None
    return parts[0], parts[1]


def verify(token: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(token), stored_hash)
