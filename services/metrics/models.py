"""Metric definitions in the SQL store: the current definition and every version it had."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from libs.identity.models import utcnow
from libs.store.base import Base

__all__ = ["MetricRow", "MetricVersionRow"]


class MetricRow(Base):
    """The current definition of a metric. Lists are stored as JSON text."""

    __tablename__ = "metrics"
    __table_args__ = (UniqueConstraint("tenant_id", "name_key", name="uq_metrics_tenant_name"),)
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(600))  # case-folded name (up to 3x longer): unique per tenant
    description: Mapped[str] = mapped_column(Text, default="")
    aggregation: Mapped[str] = mapped_column(String(64))
    event_names: Mapped[str] = mapped_column(Text, default="[]")
    field: Mapped[str] = mapped_column(Text, default="")
    filter_groups: Mapped[str] = mapped_column(Text, default="[]")
    unit: Mapped[str] = mapped_column(String(64), default="")
    format: Mapped[str] = mapped_column(String(32), default="")
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    create_time: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    update_time: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MetricVersionRow(Base):
    """One past or current version of a definition, as JSON: the history behind `version`."""

    __tablename__ = "metric_versions"
    metric_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), index=True)
    definition: Mapped[str] = mapped_column(Text)
    create_time: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
