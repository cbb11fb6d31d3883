"""Keyset pagination for every List: ordered by (label, id), tokens opaque and bound to the query.

A token carries only where to resume and a fingerprint of the list it came from; reusing it with
other filters (or in another tenant) is INVALID_ARGUMENT. It grants nothing: visibility is
re-applied on every page.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any, TypeVar

from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute, Session

from libs.errors import InvalidArgument
from libs.pagination import decode_token, encode_token, page_size

__all__ = ["page"]

T = TypeVar("T")


def _fingerprint(scope: dict[str, Any]) -> str:
    raw = json.dumps(scope, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(raw).hexdigest()[:16]


def _bad_token() -> InvalidArgument:
    return InvalidArgument("page_token does not belong to this list; start again without it",
                           reason="INVALID_PAGE_TOKEN", field="page_token")


def page(session: Session, query: Select, *, label: InstrumentedAttribute, ident: InstrumentedAttribute,
         requested_size: int, token: str, scope: dict[str, Any]) -> tuple[list[Any], str]:
    """One page of `query`'s rows and the token of the next page ("" on the last page)."""
    size = page_size(requested_size)
    fingerprint = _fingerprint(scope)
    position = decode_token(token)
    if position:
        key = position.get("k")
        if position.get("f") != fingerprint or not (isinstance(key, list) and len(key) == 2
                                                    and all(isinstance(v, str) for v in key)):
            raise _bad_token()
        query = query.where(or_(label > key[0], and_(label == key[0], ident > key[1])))
    rows = list(session.scalars(query.order_by(label, ident).limit(size + 1)))
    if len(rows) <= size:
        return rows, ""
    rows = rows[:size]
    last = rows[-1]
    return rows, encode_token({"f": fingerprint, "k": [getattr(last, label.key), getattr(last, ident.key)]})
