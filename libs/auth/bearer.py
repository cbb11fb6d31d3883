"""The bearer token of an Authorization value, read one way by every entry point.

`Bearer <token>` with the scheme in any case and spaces around the token (RFC 6750 section 2.1,
RFC 9110 section 11.1). A token is printable ASCII without spaces — what RFC 6750's b64token
allows and an HTTP/2 header can carry — so anything else reads as no token at all.
"""
from __future__ import annotations

__all__ = ["bearer_token"]


def bearer_token(authorization: str | None) -> str | None:
    """The token of an Authorization value, or None when it is missing or malformed."""
    if not authorization:
        return None
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or not (token.isascii() and token.isprintable()) or " " in token:
        return None
    return token
