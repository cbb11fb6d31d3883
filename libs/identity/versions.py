"""Customer versions: every flush that adds, changes or deletes customers bumps their tenants'
`customers_version` in the same transaction.

A reader that caches customer lookups (the ingest rail resolving references) reads the version
first and keeps its cache only while the version is unchanged, so a new, moved or deleted
customer is seen on the very next batch. The hook sits on every SQLAlchemy ORM session, so no
writer can forget it; writes that bypass the ORM unit of work (Core UPDATE/DELETE statements on
customers) must bump the version themselves, and none exist.
"""
from __future__ import annotations

from sqlalchemy import event, update
from sqlalchemy.orm import Session

from libs.identity.models import Customer, Tenant

__all__ = ["bump_statement"]


def bump_statement(tenant_ids: set[str]):  # noqa: ANN201 - an UPDATE
    return (update(Tenant.__table__).where(Tenant.__table__.c.id.in_(sorted(tenant_ids)))
            .values(customers_version=Tenant.__table__.c.customers_version + 1))


@event.listens_for(Session, "before_flush")
def _bump_customer_versions(session: Session, _context, _instances) -> None:  # noqa: ANN001
    tenants = {obj.tenant_id for obj in session.new if isinstance(obj, Customer)}
    tenants |= {obj.tenant_id for obj in session.deleted if isinstance(obj, Customer)}
    tenants |= {obj.tenant_id for obj in session.dirty
                if isinstance(obj, Customer) and session.is_modified(obj, include_collections=False)}
    tenants.discard(None)
    if tenants:
        # On the session's connection, not session.execute: that would autoflush (re-entering).
        session.connection().execute(bump_statement(tenants))
