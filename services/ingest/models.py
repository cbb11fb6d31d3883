"""The quarantine table: events whose customer could not be resolved, kept for replay.

Kept in the SQL store rather than ClickHouse: entries are few, listed page by page, and
change state once (pending -> replayed), which wants row updates and a unique constraint,
what a transactional store does well and a MergeTree does not.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from libs.store.base import Base

__all__ = ["QuarantinedEventRow"]


class QuarantinedEventRow(Base):
    """One kept-aside event. Ids sort by receive time, so listing orders by id alone.

    `receipt_key` identifies the event as received (reference, event id, binding): the same
    event sent again while still pending does not make a second entry. `scope_partner_id` is
    the partner binding of the key that sent it: replay resolves within the same slice.
    """

    __tablename__ = "quarantined_events"
    __table_args__ = (
        UniqueConstraint("tenant_id", "receipt_key", name="uq_quarantined_events_tenant_receipt"),
        Index("ix_quarantined_events_tenant_id", "tenant_id", "id"),
    )
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"))
    receipt_key: Mapped[str] = mapped_column(String(64))
    machine_key_id: Mapped[str] = mapped_column(String(40), default="")
    scope_partner_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    event_id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    ref_kind: Mapped[str] = mapped_column(String(16))
    ref_value: Mapped[str] = mapped_column(String(320))
    ts_ms: Mapped[int] = mapped_column(BigInteger)
    properties: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text, default="")
    receive_time: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    replay_time: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
