"""Reads every service needs: the partner tree, customer resolution."""
from __future__ import annotations

import threading
import unicodedata
import weakref
from collections import OrderedDict
from collections.abc import Callable

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from libs.auth.scope import PartnerTree
from libs.identity import models as m

__all__ = ["load_tree", "customer_partner_lookup", "resolve_customer", "normalise_email"]


def normalise_email(email: str) -> str:
    """One form per address: trimmed, Unicode-normalised (NFKC: "josé" typed either way, full-width
    "ＡＢ" as "ab") and lower-cased. Every store and lookup of an email goes through here."""
    email = email.strip()
    return (email if email.isascii() else unicodedata.normalize("NFKC", email)).lower()


# engine -> tenant id -> (partners_version, the tree read at that version), most recent last.
_tree_cache: weakref.WeakKeyDictionary[Engine, OrderedDict[str, tuple[int, PartnerTree]]] = weakref.WeakKeyDictionary()
_tree_lock = threading.Lock()
TREES_KEPT = 1024  # tenants whose tree is kept per database
PARTNERS_KEPT = 500_000  # partners in all kept trees of a database (~200 bytes each), least recent dropped first


def load_tree(engine: Engine, tenant_id: str) -> PartnerTree:
    """The tenant's current partner tree.

    Read again only when the tenant's partners_version has moved since it was last read (database
    triggers move it with every write to its partners, whatever writes them, to a value it never had:
    identity_0005). The version is read
    before the tree: a change landing in between stores a newer tree under the older version, which
    the next call re-reads, never an older tree under the newer one. A PartnerTree is read-only, so
    callers share it."""
    with Session(engine) as session:
        version = session.scalar(select(m.Tenant.partners_version).where(m.Tenant.id == tenant_id))
        with _tree_lock:
            trees = _tree_cache.setdefault(engine, OrderedDict())
            kept = trees.get(tenant_id)
            if kept is not None and version is not None and kept[0] == version:
                trees.move_to_end(tenant_id)
                return kept[1]
        rows = session.execute(select(m.Partner.id, m.Partner.parent_id).where(m.Partner.tenant_id == tenant_id))
        tree = PartnerTree({pid: parent for pid, parent in rows})
    if version is not None:  # an unknown tenant has no tree to keep
        with _tree_lock:
            trees[tenant_id] = (version, tree)
            trees.move_to_end(tenant_id)
            kept_partners = sum(t.partner_count for _, t in trees.values())
            while len(trees) > 1 and (len(trees) > TREES_KEPT or kept_partners > PARTNERS_KEPT):
                kept_partners -= trees.popitem(last=False)[1][1].partner_count
    return tree


def customer_partner_lookup(engine: Engine, tenant_id: str) -> Callable[[str], str | None]:
    """customer id -> its partner id within `tenant_id` (None when unknown or another tenant's)."""

    def lookup(customer_id: str) -> str | None:
        with Session(engine) as session:
            return session.scalar(
                select(m.Customer.partner_id).where(m.Customer.tenant_id == tenant_id, m.Customer.id == customer_id)
            )

    return lookup


def resolve_customer(session: Session, tenant_id: str, *, customer_id: str = "", external_id: str = "",
                     email: str = "") -> tuple[str, str] | None:
    """(customer id, partner id) for exactly one reference inside the tenant, else None."""
    query = select(m.Customer.id, m.Customer.partner_id).where(m.Customer.tenant_id == tenant_id)
    if customer_id:
        query = query.where(m.Customer.id == customer_id)
    elif external_id:
        query = query.where(m.Customer.external_id == external_id)
    elif email:
        query = query.where(m.Customer.email == normalise_email(email))
    else:
        return None
    row = session.execute(query).first()
    return (row[0], row[1]) if row else None


