"""Bulk customer resolution: every reference of a batch in one SQL query.

A reference is an internal id, an external id or an email (trimmed, case-insensitive). A
partner-bound caller reaches only the customers of its partner and that partner's
sub-partners; a customer outside that slice resolves exactly like an unknown one.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import functools
import json
import threading

from sqlalchemy import ARRAY, Connection, Engine, String, any_, bindparam, func, literal, select, union_all
from sqlalchemy.sql.elements import ColumnElement

from libs.identity import models as m
from services.ingest.event import Event
from services.ingest.ids import normalise_ref

__all__ = ["resolve", "RefCache", "REF_KINDS"]

REF_KINDS = ("customer_id", "external_id", "email")
_COLUMNS = {"customer_id": m.Customer.id, "external_id": m.Customer.external_id, "email": m.Customer.email}


_VERSION = select(m.Tenant.customers_version).where(m.Tenant.id == bindparam("tenant_id"))


def _member_of(column, name: str, dialect: str) -> ColumnElement[bool]:  # noqa: ANN001
    """`column IN :name` with the list as ONE bound parameter where the store allows it
    (a JSON array on SQLite, an array on PostgreSQL): no per-value parameter handling."""
    if dialect == "sqlite":
        each = func.json_each(bindparam(name, type_=String)).table_valued("value")
        return column.in_(select(each.c.value))
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(String)))
    return column.in_(bindparam(name, expanding=True))


@functools.cache
def _statement(dialect: str, kinds: tuple[str, ...]):  # noqa: ANN202 - a compiled-once SELECT
    selects = [
        select(literal(kind).label("kind"), _COLUMNS[kind].label("ref"), m.Customer.id, m.Customer.partner_id)
        .where(m.Customer.tenant_id == bindparam("tenant_id"), _member_of(_COLUMNS[kind], kind, dialect))
        for kind in kinds
    ]
    statement = selects[0] if len(selects) == 1 else union_all(*selects)
    if dialect == "sqlite":  # every row in one JSON text: see _lookup_on
        rows = statement.subquery()
        return select(func.json_group_array(func.json_array(*rows.c)))
    return statement


def _lookup_on(conn: Connection, tenant_id: str,
               refs: dict[str, set[str]]) -> dict[tuple[str, str], tuple[str, str]]:
    """(kind, normalised value) -> (customer id, partner id) for the references that exist."""
    kinds = tuple(kind for kind in REF_KINDS if refs.get(kind))
    if not kinds:
        return {}
    dialect = conn.dialect.name
    params: dict[str, object] = {"tenant_id": tenant_id}
    for kind in kinds:
        values = list(refs[kind])
        params[kind] = json.dumps(values) if dialect == "sqlite" else values
    result = conn.execute(_statement(dialect, kinds), params)
    # On SQLite the rows come back as one JSON array: its driver gives up and retakes the
    # GIL for every row fetched, which beside another busy thread costs a switch interval
    # each time; one row (and one json.loads) does not.
    rows = json.loads(result.scalar_one()) if dialect == "sqlite" else result
    return {(kind, ref): (cid, pid) for kind, ref, cid, pid in rows}


_UNSEEN = ("unseen",)  # not in the cache (None: cached as "no such customer")


class _Known:
    """One tenant's references for one customers_version: per kind, the value as sent ->
    (customer id, partner id), or None where none exists."""

    __slots__ = ("version", "by_kind", "size")

    def __init__(self, version: int) -> None:
        self.version = version
        self.by_kind: dict[str, dict[str, tuple[str, str] | None]] = {kind: {} for kind in REF_KINDS}
        self.size = 0


class RefCache:
    """Resolved references per tenant, kept while the tenant's customers are unchanged.

    Each batch reads the tenant's `customers_version` (bumped in the same transaction as any
    change to its customers, by database triggers) and looks up only the references the
    cache does not hold for that version, so a new, moved or deleted customer resolves anew on
    the next batch. Unknown references are cached too (the quarantine path), and forgotten with
    the rest when a customer is added. The version is read before the lookup: a change
    committed in between is fetched by the lookup and still bumps the version for the next batch.

    References are kept as sent (one dict per kind, keyed by the value's own string): a hit
    costs one dict probe, and only a miss is normalised (an email as the directory stores it).
    """

    MAX_PER_TENANT = 200_000  # references kept for one tenant before starting over
    MAX_TENANTS = 1_000  # tenants kept before starting over

    def __init__(self) -> None:
        self._tenants: dict[str, _Known] = {}
        self._lock = threading.Lock()

    def hits(self, engine: Engine, tenant_id: str, events: Sequence[Event]) -> list[tuple[str, str] | None]:
        """(customer id, partner id) of each event's reference, or None where none exists."""
        with engine.connect() as conn:  # one connection for the version and the lookup
            version = conn.execute(_VERSION, {"tenant_id": tenant_id}).scalar_one_or_none() or 0
            with self._lock:
                entry = self._tenants.get(tenant_id)
                if entry is None or entry.version != version or entry.size > self.MAX_PER_TENANT:
                    if entry is None and len(self._tenants) >= self.MAX_TENANTS:
                        self._tenants.clear()
                    entry = self._tenants[tenant_id] = _Known(version)
            by_kind = entry.by_kind
            hits = [by_kind[ev.ref_kind].get(ev.ref_value, _UNSEEN) for ev in events]
            if _UNSEEN not in hits:
                return hits
            missing = {(ev.ref_kind, ev.ref_value) for ev, hit in zip(events, hits) if hit is _UNSEEN}
            if missing:
                normal = {ref: (ref[0], normalise_ref(*ref)) for ref in missing}
                found = _lookup_on(conn, tenant_id, _by_kind(normal.values()))
                with self._lock:
                    for (kind, value), ref in normal.items():
                        by_kind[kind][value] = found.get(ref)
                    entry.size += len(normal)
        return [by_kind[ev.ref_kind][ev.ref_value] for ev in events]


def _by_kind(refs: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {kind: set() for kind in REF_KINDS}
    for kind, value in refs:
        out[kind].add(value)
    return out


def resolve(engine: Engine, tenant_id: str, events: Iterable[Event], allowed: frozenset[str] | None,
            cache: RefCache) -> None:
    """Set customer_id/partner_id on each event whose reference resolves inside `allowed`
    partners (None: the whole tenant). Others keep customer_id empty."""
    pending = list(events)
    for ev, hit in zip(pending, cache.hits(engine, tenant_id, pending)):
        if hit is not None and (allowed is None or hit[1] in allowed):
            ev.customer_id, ev.partner_id = hit
