"""Opaque page tokens (AIP-158). A token only says where to resume; it grants nothing, since
every request re-checks who is asking. Tampering yields INVALID_ARGUMENT, not a crash."""
from __future__ import annotations

import base64
import json
from typing import Any

from libs.errors import InvalidArgument

__all__ = ["encode_token", "decode_token", "page_size"]

_DEFAULT, _MAX = 50, 1000


def page_size(requested: int) -> int:
    """Clamp a requested page size: 0 -> default, negative refused, at most 1000."""
    if requested < 0:
        raise InvalidArgument("page_size must not be negative", reason="INVALID_PAGE_SIZE", field="page_size")
    return min(requested or _DEFAULT, _MAX)


def encode_token(position: dict[str, Any]) -> str:
    raw = json.dumps(position, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(token: str) -> dict[str, Any]:
    """The position inside `token` ({} for an empty token)."""
    if not token:
        return {}
    try:
        padded = token + "=" * (-len(token) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:  # RecursionError: "[[[[..." decoded
        raise InvalidArgument("page_token is not a token this service issued", reason="INVALID_PAGE_TOKEN",
                              field="page_token") from None
    if not isinstance(value, dict):
        raise InvalidArgument("page_token is not a token this service issued", reason="INVALID_PAGE_TOKEN",
                              field="page_token")
    return value
