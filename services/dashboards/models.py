"""Dashboard tables. Every row carries its tenant; a widget row names its metric so that
"which dashboards use this metric" is one indexed look-up."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from libs.store.base import Base

__all__ = ["DashboardRow", "WidgetRow"]


class DashboardRow(Base):
    """A saved dashboard; `version` grows by one with every update (optimistic concurrency)."""

    __tablename__ = "dashboards"
    __table_args__ = (Index("ix_dashboards_tenant_name", "tenant_id", "name_key", "id"),)
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"))
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(600))  # case-folded name (up to 3x longer): ordering and search
    description: Mapped[str] = mapped_column(Text, default="")
    default_level_kind: Mapped[int] = mapped_column(Integer, default=0)
    default_level_id: Mapped[str] = mapped_column(String(40), default="")
    default_window: Mapped[str] = mapped_column(Text, default="")  # common.v1.Window as JSON, "" = none
    shared_with_partners: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    create_time: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    update_time: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class WidgetRow(Base):
    """One widget of a dashboard, in display order; `spec` is the Widget message as JSON."""

    __tablename__ = "dashboard_widgets"
    __table_args__ = (Index("ix_dashboard_widgets_tenant_metric", "tenant_id", "metric_id"),)
    dashboard_id: Mapped[str] = mapped_column(ForeignKey("dashboards.id", ondelete="CASCADE"), primary_key=True)
    ordinal: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(40))
    widget_id: Mapped[str] = mapped_column(String(40))
    type: Mapped[str] = mapped_column(String(40))
    metric_id: Mapped[str] = mapped_column(String(40), default="")
    spec: Mapped[str] = mapped_column(Text)
