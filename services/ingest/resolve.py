"""Bulk customer resolution: every reference of a batch in one SQL query.

A reference is an internal id, an external id or an email (trimmed, case-insensitive). A
partner-bound caller reaches only the customers of its partner and that partner's
sub-partners; a customer outside that slice resolves exactly like an unknown one.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine, literal, select, union_all

from libs.identity import models as m
from services.ingest.event import Event
from services.ingest.ids import normalise_ref

__all__ = ["resolve", "lookup_refs", "REF_KINDS"]

REF_KINDS = ("customer_id", "external_id", "email")
_COLUMNS = {"customer_id": m.Customer.id, "external_id": m.Customer.external_id, "email": m.Customer.email}


def lookup_refs(engine: Engine, tenant_id: str, refs: dict[str, set[str]]) -> dict[tuple[str, str], tuple[str, str]]:
    """(kind, normalised value) -> (customer id, partner id) for the references that exist."""
    selects = [
        select(literal(kind).label("kind"), _COLUMNS[kind].label("ref"), m.Customer.id, m.Customer.partner_id)
        .where(m.Customer.tenant_id == tenant_id, _COLUMNS[kind].in_(list(values)))
        for kind, values in refs.items() if values
    ]
    if not selects:
        return {}
    statement = selects[0] if len(selects) == 1 else union_all(*selects)
    with engine.connect() as conn:
        return {(kind, ref): (cid, pid) for kind, ref, cid, pid in conn.execute(statement)}


def resolve(engine: Engine, tenant_id: str, events: Iterable[Event], allowed: frozenset[str] | None) -> None:
    """Set customer_id/partner_id on each undecided event whose reference resolves inside
    `allowed` partners (None: the whole tenant). Others keep customer_id empty."""
    pending = [ev for ev in events if ev.status == 0]
    refs: dict[str, set[str]] = {kind: set() for kind in REF_KINDS}
    for ev in pending:
        refs[ev.ref_kind].add(normalise_ref(ev.ref_kind, ev.ref_value))
    found = lookup_refs(engine, tenant_id, refs)
    for ev in pending:
        hit = found.get((ev.ref_kind, normalise_ref(ev.ref_kind, ev.ref_value)))
        if hit is not None and (allowed is None or hit[1] in allowed):
            ev.customer_id, ev.partner_id = hit
