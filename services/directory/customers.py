"""Customers: each belongs to one partner; external id and normalised email are unique per tenant."""
from __future__ import annotations

from partneros.directory.v1 import directory_pb2 as pb
from sqlalchemy import Engine, func, or_, select
from sqlalchemy.orm import Session

from libs.errors import AlreadyExists, NotFound
from libs.identity import models as m
from libs.identity.tokens import new_id
from services.directory import convert, validate
from services.directory.access import Viewer, viewer, viewer_in
from services.directory.db import held_by_another, reading, writing
from services.directory.paging import page

__all__ = ["create", "get", "list_", "update", "delete_"]

_WRITABLE = ("partner_id", "external_id", "email", "name")


def _not_found(customer_id: str) -> NotFound:
    return NotFound(f"customer {customer_id!r} not found", reason="CUSTOMER_NOT_FOUND", customer_id=customer_id)


def _row(session: Session, v: Viewer, customer_id: str) -> m.Customer:
    row = session.get(m.Customer, customer_id)
    if row is None or row.tenant_id != v.tenant_id or not v.sees(row.partner_id):
        raise _not_found(customer_id)
    return row


def _ensure_unique(session: Session, tenant_id: str, *, email: str | None, external_id: str | None,
                   own_id: str | None = None) -> None:
    """ALREADY_EXISTS naming the field when another customer of the tenant holds the value."""
    for field, column, value in (("external_id", m.Customer.external_id, external_id),
                                 ("email", m.Customer.email, email)):
        if value is not None and held_by_another(session, column, tenant_id, value, own_id):
            raise AlreadyExists(f"another customer already has {field} {value!r}",
                                reason=f"CUSTOMER_{field.upper()}_EXISTS", field=field, **{field: value})


def create(engine: Engine, request: pb.CreateCustomerRequest) -> pb.Customer:
    c = request.customer
    partner_id = validate.required(c.partner_id, "partner_id")
    email = validate.optional_email(c.email)
    external_id = validate.optional_text(c.external_id, "external_id")
    name = validate.text(c.name, "name", allow_empty=True)
    with writing(engine) as session:
        v = viewer_in(session)
        v.reference(partner_id, "partner_id")
        _ensure_unique(session, v.tenant_id, email=email, external_id=external_id)
        row = m.Customer(id=new_id("cus"), tenant_id=v.tenant_id, partner_id=partner_id, email=email,
                         external_id=external_id, name=name)
        session.add(row)
        session.flush()
        return convert.customer(row)


def get(engine: Engine, request: pb.GetCustomerRequest) -> pb.Customer:
    v = viewer(engine)
    with reading(engine) as session:
        return convert.customer(_row(session, v, validate.identifier(request.customer_id, "customer_id")))


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_(engine: Engine, request: pb.ListCustomersRequest) -> pb.ListCustomersResponse:
    """Visible customers, optionally under one partner's subtree and matching a text query."""
    v = viewer(engine)
    query = select(m.Customer).where(m.Customer.tenant_id == v.tenant_id, v.partner_filter(m.Customer.partner_id))
    partner_id = request.partner_id.strip()
    if partner_id:
        v.require_partner(partner_id)
        query = query.where(m.Customer.partner_id.in_(sorted(v.tree.subtree(partner_id))))
    text = validate.text(request.query, "query", allow_empty=True)
    if text:
        pattern = _like(text)
        query = query.where(or_(*(func.lower(col).like(pattern, escape="\\")
                                  for col in (m.Customer.name, m.Customer.email, m.Customer.external_id))))
    with reading(engine) as session:
        rows, token = page(session, query, label=m.Customer.name, ident=m.Customer.id,
                           requested_size=request.page_size, token=request.page_token,
                           scope={"list": "customers", "tenant": v.tenant_id, "partner_id": partner_id,
                                  "query": text})
        return pb.ListCustomersResponse(customers=[convert.customer(r) for r in rows], next_page_token=token)


def update(engine: Engine, request: pb.UpdateCustomerRequest) -> pb.Customer:
    fields = validate.update_fields(request.update_mask, _WRITABLE)
    c = request.customer
    customer_id = validate.identifier(c.id, "id")
    values: dict[str, object] = {}
    if "partner_id" in fields:
        values["partner_id"] = validate.required(c.partner_id, "partner_id")
    if "email" in fields:
        values["email"] = validate.optional_email(c.email)
    if "external_id" in fields:
        values["external_id"] = validate.optional_text(c.external_id, "external_id")
    if "name" in fields:
        values["name"] = validate.text(c.name, "name", allow_empty=True)
    with writing(engine) as session:
        v = viewer_in(session)
        row = _row(session, v, customer_id)
        if "partner_id" in values:
            v.reference(str(values["partner_id"]), "partner_id")
        _ensure_unique(session, v.tenant_id, email=values.get("email"),  # type: ignore[arg-type]
                       external_id=values.get("external_id"), own_id=row.id)  # type: ignore[arg-type]
        for key, value in values.items():
            setattr(row, key, value)
        session.flush()
        return convert.customer(row)


def delete_(engine: Engine, request: pb.DeleteCustomerRequest) -> None:
    customer_id = validate.identifier(request.customer_id, "customer_id")
    with writing(engine) as session:
        session.delete(_row(session, viewer_in(session), customer_id))
