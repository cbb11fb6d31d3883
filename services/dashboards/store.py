"""Dashboard persistence: tenant-scoped CRUD with optimistic concurrency.

Every function takes the tenant explicitly; no query runs without it. Visibility to partner
users is a filter here too (`shared_only`), so a dashboard they may not see is simply absent.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from partneros.dashboards.v1 import dashboards_pb2 as pb
from sqlalchemy import Engine, and_, delete, or_, select, update
from sqlalchemy.orm import Session

from libs.errors import Aborted, NotFound
from libs.identity.tokens import new_id
from services.dashboards.convert import to_message, widget_rows, window_json
from services.dashboards.models import DashboardRow, WidgetRow

__all__ = ["create", "get", "list_page", "update_dashboard", "delete_dashboard", "name_key"]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def name_key(name: str) -> str:
    """The form names are ordered and searched by (case-insensitive, locale-free)."""
    return name.casefold()


def _not_found(dashboard_id: str) -> NotFound:
    return NotFound(f"dashboard {dashboard_id!r} not found", reason="DASHBOARD_NOT_FOUND",
                    dashboard_id=dashboard_id)


def _widgets_of(session: Session, ids: list[str]) -> dict[str, list[WidgetRow]]:
    by_dashboard: dict[str, list[WidgetRow]] = defaultdict(list)
    if ids:
        for w in session.scalars(select(WidgetRow).where(WidgetRow.dashboard_id.in_(ids))):
            by_dashboard[w.dashboard_id].append(w)
    return by_dashboard


def create(engine: Engine, tenant_id: str, dashboard: pb.Dashboard) -> pb.Dashboard:
    """Store a validated dashboard under a new id, at version 1."""
    now, dashboard_id = _now(), new_id("dsh")
    row = DashboardRow(
        id=dashboard_id, tenant_id=tenant_id, name=dashboard.name, name_key=name_key(dashboard.name),
        description=dashboard.description, default_level_kind=int(dashboard.default_level.kind),
        default_level_id=dashboard.default_level.id, default_window=window_json(dashboard),
        shared_with_partners=dashboard.shared_with_partners, version=1, create_time=now, update_time=now,
    )
    rows = widget_rows(tenant_id, dashboard_id, dashboard)
    with Session(engine, expire_on_commit=False) as session, session.begin():
        session.add(row)
        session.flush()
        session.add_all(rows)
    return to_message(row, rows)


def get(engine: Engine, tenant_id: str, dashboard_id: str, *, shared_only: bool = False) -> pb.Dashboard:
    """One dashboard of the tenant; NOT_FOUND if absent, another tenant's, or hidden from the caller."""
    with Session(engine) as session:
        query = select(DashboardRow).where(DashboardRow.tenant_id == tenant_id, DashboardRow.id == dashboard_id)
        if shared_only:
            query = query.where(DashboardRow.shared_with_partners.is_(True))
        row = session.scalar(query)
        if row is None:
            raise _not_found(dashboard_id)
        return to_message(row, _widgets_of(session, [row.id])[row.id])


def list_page(engine: Engine, tenant_id: str, *, size: int, after: tuple[str, str] | None = None,
              query: str = "", shared_only: bool = False) -> tuple[list[pb.Dashboard], tuple[str, str] | None]:
    """A page of dashboards ordered by name (then id), optionally those whose name contains `query`.

    Returns the page and the (name key, id) to resume after, or None on the last page.
    """
    stmt = select(DashboardRow).where(DashboardRow.tenant_id == tenant_id)
    if shared_only:
        stmt = stmt.where(DashboardRow.shared_with_partners.is_(True))
    if query:
        stmt = stmt.where(DashboardRow.name_key.contains(name_key(query), autoescape=True))
    if after is not None:
        key, last_id = after
        stmt = stmt.where(or_(DashboardRow.name_key > key, and_(DashboardRow.name_key == key, DashboardRow.id > last_id)))
    stmt = stmt.order_by(DashboardRow.name_key, DashboardRow.id).limit(size + 1)
    with Session(engine) as session:
        rows = list(session.scalars(stmt))
        more = len(rows) > size
        rows = rows[:size]
        widgets = _widgets_of(session, [r.id for r in rows])
        page = [to_message(r, widgets[r.id]) for r in rows]
    resume = (rows[-1].name_key, rows[-1].id) if more and rows else None
    return page, resume


def update_dashboard(engine: Engine, tenant_id: str, dashboard: pb.Dashboard, *, based_on: int) -> pb.Dashboard:
    """Replace a dashboard's writable fields and widgets if it is still at version `based_on`.

    The version test and the write are one UPDATE statement, so of two edits based on the same
    version exactly one succeeds; the other gets ABORTED and must re-read.
    """
    values = dict(
        name=dashboard.name, name_key=name_key(dashboard.name), description=dashboard.description,
        default_level_kind=int(dashboard.default_level.kind), default_level_id=dashboard.default_level.id,
        default_window=window_json(dashboard), shared_with_partners=dashboard.shared_with_partners,
        version=DashboardRow.version + 1, update_time=_now(),
    )
    with Session(engine, expire_on_commit=False) as session, session.begin():
        result = session.execute(
            update(DashboardRow)
            .where(DashboardRow.tenant_id == tenant_id, DashboardRow.id == dashboard.id,
                   DashboardRow.version == based_on)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            current = session.scalar(select(DashboardRow.version).where(
                DashboardRow.tenant_id == tenant_id, DashboardRow.id == dashboard.id))
            if current is None:
                raise _not_found(dashboard.id)
            raise Aborted(f"dashboard {dashboard.id!r} changed since version {based_on} (now {current}); "
                          "read it again and reapply your edit", reason="VERSION_CONFLICT",
                          dashboard_id=dashboard.id, version=based_on, current_version=current)
        session.execute(delete(WidgetRow).where(WidgetRow.dashboard_id == dashboard.id))
        session.add_all(widget_rows(tenant_id, dashboard.id, dashboard))
        session.flush()
        row = session.scalar(select(DashboardRow).where(DashboardRow.id == dashboard.id)
                             .execution_options(populate_existing=True))
        assert row is not None
        return to_message(row, _widgets_of(session, [row.id])[row.id])


def delete_dashboard(engine: Engine, tenant_id: str, dashboard_id: str) -> None:
    """Delete a dashboard and its widgets; NOT_FOUND if the tenant has no such dashboard."""
    with Session(engine) as session, session.begin():
        exists = session.scalar(select(DashboardRow.id).where(
            DashboardRow.tenant_id == tenant_id, DashboardRow.id == dashboard_id))
        if exists is None:
            raise _not_found(dashboard_id)
        session.execute(delete(WidgetRow).where(WidgetRow.dashboard_id == dashboard_id))
        session.execute(delete(DashboardRow).where(DashboardRow.id == dashboard_id))
