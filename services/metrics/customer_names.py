"""Customer names for a page of events, within the slice the page was read from.

A page of events names customers by id. The names come from the identity store in one query,
and only for customers that belong now to a partner of the query's effective scope: an event
stays with the partner it happened under (see the isolation rules), but a customer that has
since moved to another partner is shown by id only, so no one learns what a customer outside
their slice is called now.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine, bindparam, select

from libs.auth.scope import EffectiveScope
from libs.identity import models as m

__all__ = ["customer_names"]

_C = m.Customer
_NAMES = select(_C.id, _C.name, _C.partner_id).where(_C.tenant_id == bindparam("tenant_id"),
                                                     _C.id.in_(bindparam("ids", expanding=True)))


def customer_names(engine: Engine, scope: EffectiveScope, customer_ids: Iterable[str]) -> dict[str, str]:
    """Customer id -> name, for the ids whose customer is in `scope` now."""
    ids = sorted(set(customer_ids))
    if not ids:
        return {}
    with engine.connect() as conn:
        rows = conn.execute(_NAMES, {"tenant_id": scope.tenant_id, "ids": ids}).all()
    partners = scope.partner_ids
    return {cid: name for cid, name, pid in rows
            if (partners is None or pid in partners) and (scope.customer_id is None or cid == scope.customer_id)}
