"""Which dashboards use a metric: asked by the metrics service before it deletes a definition.

Deleting a metric in use is refused (FAILED_PRECONDITION, naming the dashboards) unless the
caller forces it; after a forced delete the widgets stay and render a NOT_FOUND error of their
own, so the dashboard owner sees what broke instead of a widget silently vanishing.
"""
from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from services.dashboards.models import DashboardRow, WidgetRow

__all__ = ["dashboards_using_metric"]


def dashboards_using_metric(engine: Engine, tenant_id: str, metric_id: str) -> list[tuple[str, str]]:
    """(dashboard id, name) of every dashboard of `tenant_id` with a widget showing `metric_id`, by name."""
    if not metric_id:
        return []
    stmt = (
        select(DashboardRow.id, DashboardRow.name)
        .join(WidgetRow, WidgetRow.dashboard_id == DashboardRow.id)
        .where(WidgetRow.tenant_id == tenant_id, WidgetRow.metric_id == metric_id,
               DashboardRow.tenant_id == tenant_id)
        .distinct()
        .order_by(DashboardRow.name, DashboardRow.id)
    )
    with Session(engine) as session:
        return [(i, n) for i, n in session.execute(stmt)]
