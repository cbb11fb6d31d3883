"""Transactions of the directory handlers."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from libs.errors import Aborted
from libs.identity import models as m

__all__ = ["reading", "writing", "lock_tenant"]


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
    """Serialise tree-shaping writes of one tenant (row lock on PostgreSQL; SQLite has one writer)."""
    session.execute(select(m.Tenant.id).where(m.Tenant.id == tenant_id).with_for_update())
