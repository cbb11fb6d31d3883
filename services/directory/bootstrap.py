"""Local bootstrap (no credentials needed): a tenant with its first admin and token."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from libs.identity import models as m
from libs.identity.tokens import PERSONAL_TOKEN_KIND, hash_secret, new_id, new_secret

__all__ = ["BootstrapResult", "create_tenant", "issue_personal_token"]


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
    with Session(engine) as session, session.begin():
        tenant = m.Tenant(id=tenant_id or new_id("ten"), name=name, time_zone=time_zone, week_start=week_start)
        session.add(tenant)
        session.flush()
        admin = m.Operator(id=new_id("op"), tenant_id=tenant.id, email=admin_email.strip().lower(),
                           name="Admin", role="admin")
        session.add(admin)
        session.flush()
        _, secret = issue_personal_token(session, tenant_id=tenant.id, subject_kind="operator",
                                         subject_id=admin.id, display_name="bootstrap")
        return BootstrapResult(tenant.id, admin.id, secret)
