"""Reads every service needs: the partner tree, customer resolution."""
from __future__ import annotations

import unicodedata
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


def load_tree(engine: Engine, tenant_id: str) -> PartnerTree:
    """The tenant's current partner tree."""
    with Session(engine) as session:
        rows = session.execute(select(m.Partner.id, m.Partner.parent_id).where(m.Partner.tenant_id == tenant_id))
        return PartnerTree({pid: parent for pid, parent in rows})


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


