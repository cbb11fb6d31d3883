"""Reads of the identity tables the metrics service needs: the tenant's calendar, partner names."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from libs.identity import models as m

__all__ = ["tenant_calendar", "partner_names"]


def tenant_calendar(engine: Engine, tenant_id: str) -> tuple[str, int]:
    """(IANA time zone, ISO week start) of the tenant; UTC and Monday if unset."""
    with Session(engine) as session:
        row = session.execute(select(m.Tenant.time_zone, m.Tenant.week_start).where(m.Tenant.id == tenant_id)).first()
    if row is None:
        return "UTC", 1
    return row[0] or "UTC", int(row[1] or 1)


def partner_names(engine: Engine, tenant_id: str, partner_ids: Iterable[str] | None) -> dict[str, str]:
    """id -> name of the tenant's partners (all of them when `partner_ids` is None)."""
    query = select(m.Partner.id, m.Partner.name).where(m.Partner.tenant_id == tenant_id)
    if partner_ids is not None:
        ids = sorted(partner_ids)
        if not ids:
            return {}
        query = query.where(m.Partner.id.in_(ids))
    with Session(engine) as session:
        return {pid: name for pid, name in session.execute(query)}
