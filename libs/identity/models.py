"""Identity tables. Every row carries its tenant."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from libs.store.base import Base

__all__ = ["Tenant", "Partner", "Customer", "Operator", "OperatorAssignment", "PartnerUser",
           "MachineKey", "PersonalToken", "utcnow"]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class Tenant(Base):
    __tablename__ = "tenants"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    week_start: Mapped[int] = mapped_column(default=1)
    create_time: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Bumped in the same transaction as any write to the tenant's customers, by database triggers
    # (migration identity_0003).
    customers_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # The same for partners (identity_0005), never repeating (past the last, at least the clock in
    # microseconds): readers keep the partner tree per version.
    partners_version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class Partner(Base):
    __tablename__ = "partners"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("partners.id"), nullable=True)
    create_time: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Customer(Base):
    __tablename__ = "customers"
    __table_args__ = (
        UniqueConstraint("tenant_id", "external_id", name="uq_customers_tenant_external_id"),
        UniqueConstraint("tenant_id", "email", name="uq_customers_tenant_email"),
        Index("ix_customers_tenant_partner", "tenant_id", "partner_id"),
    )
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"))
    partner_id: Mapped[str] = mapped_column(ForeignKey("partners.id"))
    external_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    email: Mapped[str | None] = mapped_column(String(320), nullable=True)  # trimmed, lower-cased
    name: Mapped[str] = mapped_column(String(200), default="")
    create_time: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Operator(Base):
    __tablename__ = "operators"
    __table_args__ = (UniqueConstraint("tenant_id", "email", name="uq_operators_tenant_email"),)
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), index=True)
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16))  # "admin" | "manager"
    create_time: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class OperatorAssignment(Base):
    __tablename__ = "operator_assignments"
    operator_id: Mapped[str] = mapped_column(ForeignKey("operators.id", ondelete="CASCADE"), primary_key=True)
    partner_id: Mapped[str] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True)


class PartnerUser(Base):
    __tablename__ = "partner_users"
    __table_args__ = (UniqueConstraint("tenant_id", "email", name="uq_partner_users_tenant_email"),)
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), index=True)
    partner_id: Mapped[str] = mapped_column(ForeignKey("partners.id"))
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(200), default="")
    create_time: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MachineKey(Base):
    """A machine key: only the public prefix and a hash of the secret are stored."""

    __tablename__ = "machine_keys"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), index=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    prefix: Mapped[str] = mapped_column(String(32), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(128))
    scopes: Mapped[str] = mapped_column(Text, default="")  # space-separated
    partner_id: Mapped[str | None] = mapped_column(ForeignKey("partners.id"), nullable=True)
    create_time: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoke_time: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_use_time: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class PersonalToken(Base):
    """A person's token (operator or partner user): prefix and hash only."""

    __tablename__ = "personal_tokens"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(ForeignKey("tenants.id"), index=True)
    subject_kind: Mapped[str] = mapped_column(String(16))  # "operator" | "partner_user"
    subject_id: Mapped[str] = mapped_column(String(40), index=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    prefix: Mapped[str] = mapped_column(String(32), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(128))
    create_time: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoke_time: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_use_time: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
