"""Test data written straight into the identity tables (fast, independent of the directory API).

Use the directory gRPC API in tests of the directory itself; use these to set up a world.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from libs.identity import models as m
from libs.identity.reads import normalise_email
from libs.identity.tokens import MACHINE_KEY_KIND, hash_secret, new_id, new_secret
from services.directory.bootstrap import create_tenant, issue_personal_token

__all__ = ["World", "partner", "customer", "operator", "partner_user", "machine_key", "tenant"]


def tenant(engine: Engine, name: str = "T", time_zone: str = "UTC"):  # noqa: ANN201
    """(tenant id, admin token)."""
    r = create_tenant(engine, name=name, admin_email=f"admin-{new_id('x')}@example.com", time_zone=time_zone)
    return r.tenant_id, r.token


def partner(engine: Engine, tenant_id: str, name: str, parent_id: str | None = None) -> str:
    pid = new_id("ptn")
    with Session(engine) as s, s.begin():
        s.add(m.Partner(id=pid, tenant_id=tenant_id, name=name, parent_id=parent_id))
    return pid


def customer(engine: Engine, tenant_id: str, partner_id: str, *, email: str | None = None,
             external_id: str | None = None, name: str = "") -> str:
    cid = new_id("cus")
    with Session(engine) as s, s.begin():
        s.add(m.Customer(id=cid, tenant_id=tenant_id, partner_id=partner_id,
                         email=normalise_email(email) if email else None, external_id=external_id, name=name))
    return cid


def operator(engine: Engine, tenant_id: str, *, role: str = "manager", assigned: tuple[str, ...] = ()) -> tuple[str, str]:
    """(operator id, token)."""
    op_id = new_id("op")
    with Session(engine) as s, s.begin():
        s.add(m.Operator(id=op_id, tenant_id=tenant_id, email=f"{op_id}@example.com", role=role))
        s.flush()
        for pid in assigned:
            s.add(m.OperatorAssignment(operator_id=op_id, partner_id=pid))
        _, token = issue_personal_token(s, tenant_id=tenant_id, subject_kind="operator", subject_id=op_id)
    return op_id, token


def partner_user(engine: Engine, tenant_id: str, partner_id: str) -> tuple[str, str]:
    """(partner user id, token)."""
    user_id = new_id("pu")
    with Session(engine) as s, s.begin():
        s.add(m.PartnerUser(id=user_id, tenant_id=tenant_id, partner_id=partner_id, email=f"{user_id}@example.com"))
        s.flush()
        _, token = issue_personal_token(s, tenant_id=tenant_id, subject_kind="partner_user", subject_id=user_id)
    return user_id, token


def machine_key(engine: Engine, tenant_id: str, *, partner_id: str | None = None,
                scopes: str = "events:write") -> tuple[str, str]:
    """(key id, secret)."""
    secret, prefix = new_secret(MACHINE_KEY_KIND)
    key_id = new_id("mk")
    with Session(engine) as s, s.begin():
        s.add(m.MachineKey(id=key_id, tenant_id=tenant_id, prefix=prefix, secret_hash=hash_secret(secret),
                           scopes=scopes, partner_id=partner_id))
    return key_id, secret


@dataclass
class World:
    """A small program: distributor -> reseller -> sub-reseller, with a sibling at each level."""

    tenant_id: str
    admin_token: str
    partners: dict[str, str]
    customers: dict[str, str]

    @classmethod
    def build(cls, engine: Engine, name: str = "World") -> "World":
        t, token = tenant(engine, name)
        p: dict[str, str] = {}
        p["dist_a"] = partner(engine, t, "Distributor A")
        p["dist_b"] = partner(engine, t, "Distributor B")
        p["res_a1"] = partner(engine, t, "Reseller A1", p["dist_a"])
        p["res_a2"] = partner(engine, t, "Reseller A2", p["dist_a"])
        p["sub_a1x"] = partner(engine, t, "Sub A1x", p["res_a1"])
        p["sub_a1y"] = partner(engine, t, "Sub A1y", p["res_a1"])
        c = {key: customer(engine, t, pid, email=f"{key}@{t}.example.com", external_id=f"ext-{key}",
                           name=f"Customer of {key}") for key, pid in p.items()}
        return cls(t, token, p, c)
