"""Local bootstrap (no credentials needed): a tenant with its first admin and token."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from libs.identity import models as m
from libs.identity.tokens import PERSONAL_TOKEN_KIND, hash_secret, new_id, new_secret
from services.directory import validate

__all__ = ["BootstrapResult", "IssuedToken", "create_tenant", "create_token", "issue_personal_token", "list_tenants"]


@dataclass(frozen=True)
class BootstrapResult:
    tenant_id: str
    operator_id: str
    token: str


def issue_personal_token(session: Session, *, tenant_id: str, subject_kind: str, subject_id: str,
                         display_name: str = "") -> tuple[m.PersonalToken, str]:
    """A new personal token row (prefix + hash) and the secret to show once."""
    secret, prefix = new_secret(PERSONAL_TOKEN_KIND)
    row = m.PersonalToken(id=new_id("pat"), tenant_id=tenant_id, subject_kind=subject_kind, subject_id=subject_id,
                          display_name=display_name, prefix=prefix, secret_hash=hash_secret(secret))
    session.add(row)
    return row, secret


def create_tenant(engine: Engine, *, name: str, admin_email: str, time_zone: str = "UTC",
                  week_start: int = 1, tenant_id: str | None = None) -> BootstrapResult:
    """Create a tenant, its first admin operator and a personal token for them."""
    name, admin_email = validate.text(name, "name"), validate.email(admin_email, "admin_email")
    time_zone, week_start = validate.time_zone(time_zone), validate.week_start(week_start)
    with Session(engine) as session, session.begin():
        tenant = m.Tenant(id=tenant_id or new_id("ten"), name=name, time_zone=time_zone, week_start=week_start)
        session.add(tenant)
        session.flush()
        admin = m.Operator(id=new_id("op"), tenant_id=tenant.id, email=admin_email,
                           name="Admin", role="admin")
        session.add(admin)
        session.flush()
        _, secret = issue_personal_token(session, tenant_id=tenant.id, subject_kind="operator",
                                         subject_id=admin.id, display_name="bootstrap")
        return BootstrapResult(tenant.id, admin.id, secret)


@dataclass(frozen=True)
class IssuedToken:
    subject_kind: str
    subject_id: str
    token_id: str
    token: str


def create_token(engine: Engine, *, tenant_id: str, email: str, display_name: str = "cli") -> IssuedToken:
    """A new personal token for the operator (or else partner user) with `email` in the tenant.

    For local recovery: an admin who lost every token gets a new one from the machine's shell.
    """
    from sqlalchemy import select

    from libs.errors import NotFound
    from libs.identity.reads import normalise_email

    from services.directory import validate

    wanted = normalise_email(email)
    display_name = validate.text(display_name, "display_name")
    with Session(engine) as session, session.begin():
        if session.get(m.Tenant, tenant_id) is None:
            raise NotFound(f"tenant {tenant_id!r} not found", reason="TENANT_NOT_FOUND", tenant_id=tenant_id)
        subject_kind, subject_id = "operator", session.scalar(
            select(m.Operator.id).where(m.Operator.tenant_id == tenant_id, m.Operator.email == wanted))
        if subject_id is None:
            subject_kind, subject_id = "partner_user", session.scalar(
                select(m.PartnerUser.id).where(m.PartnerUser.tenant_id == tenant_id, m.PartnerUser.email == wanted))
        if subject_id is None:
            raise NotFound(f"no operator or partner user with email {wanted!r} in tenant {tenant_id}",
                           reason="PERSON_NOT_FOUND", email=wanted)
        row, secret = issue_personal_token(session, tenant_id=tenant_id, subject_kind=subject_kind,
                                           subject_id=subject_id, display_name=display_name)
        session.flush()
        return IssuedToken(subject_kind, subject_id, row.id, secret)


def list_tenants(engine: Engine) -> list[tuple[str, str, str]]:
    """(id, name, time zone) of every tenant in the store."""
    from sqlalchemy import select

    with Session(engine) as session:
        return [tuple(r) for r in session.execute(select(m.Tenant.id, m.Tenant.name, m.Tenant.time_zone)
                                                  .order_by(m.Tenant.create_time, m.Tenant.id))]
