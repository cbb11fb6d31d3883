"""Transactions of the directory handlers."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from libs.errors import Aborted
from libs.identity import models as m

__all__ = ["reading", "writing", "lock_tenant", "held_by_another"]


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@contextmanager
def writing(engine: Engine) -> Iterator[Session]:
    """One transaction. Handlers check constraints first; a constraint that still fails lost a race
    with a concurrent writer, so the caller is told to retry (and will then get the precise error)."""
    with Session(engine) as session:
        try:
            with session.begin():
                yield session
        except IntegrityError as exc:
            raise Aborted("the directory changed concurrently; retry the request",
                          reason="CONCURRENT_CHANGE") from exc


def lock_tenant(session: Session, tenant_id: str) -> None:
    """Serialise the directory writes of one tenant, so the checks a write makes (no cycle, parent
    exists, email free) still hold when it commits.

    A no-op UPDATE of the tenant row: on PostgreSQL it takes the row lock (later reads see every
    committed change); on SQLite it makes the transaction the single writer before anything is read.
    """
    session.execute(update(m.Tenant).where(m.Tenant.id == tenant_id).values(name=m.Tenant.name))


def held_by_another(session: Session, column, tenant_id: str, value: str, own_id: str | None = None) -> bool:  # noqa: ANN001
    """Whether another row of the tenant (not `own_id`) holds `value` in `column` (e.g. Customer.email)."""
    model = column.class_
    query = select(model.id).where(model.tenant_id == tenant_id, column == value)
    if own_id is not None:
        query = query.where(model.id != own_id)
    return session.scalar(query.limit(1)) is not None
