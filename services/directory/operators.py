"""Operators of the tenant: admins, and managing operators with their assigned partners."""
from __future__ import annotations

from collections.abc import Iterable

from partneros.directory.v1 import directory_pb2 as pb
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from libs.errors import AlreadyExists, FailedPrecondition, InvalidArgument, NotFound
from libs.identity import models as m
from libs.identity.tokens import new_id
from services.directory import convert, validate
from services.directory.access import Viewer, viewer, viewer_in
from services.directory.db import held_by_another, reading, writing
from services.directory.paging import page
from services.directory.personal_tokens import revoke_subject

__all__ = ["create", "get", "list_", "update", "delete_"]

_WRITABLE = ("email", "name", "role", "assigned_partner_ids")


def _role(value: int) -> str:
    if value == pb.OPERATOR_ROLE_UNSPECIFIED:
        raise InvalidArgument("role is required", reason="FIELD_REQUIRED", field="role")
    if value not in convert.ROLE_FROM_PB:
        raise InvalidArgument(f"unknown role {value}", reason="INVALID_ROLE", field="role", role=value)
    return convert.ROLE_FROM_PB[value]


def _assigned(v: Viewer, role: str, ids: Iterable[str]) -> list[str]:
    """Assignments of a manager, each a partner of the tenant; admins have none (they see everything)."""
    if role == "admin":
        return []
    return sorted({v.reference(pid.strip(), "assigned_partner_ids") for pid in ids})


def _assignments(session: Session, operator_id: str) -> list[str]:
    return list(session.scalars(select(m.OperatorAssignment.partner_id)
                                .where(m.OperatorAssignment.operator_id == operator_id)))


def _row(session: Session, v: Viewer, operator_id: str) -> m.Operator:
    row = session.get(m.Operator, operator_id)
    if row is None or row.tenant_id != v.tenant_id:
        raise NotFound(f"operator {operator_id!r} not found", reason="OPERATOR_NOT_FOUND", operator_id=operator_id)
    return row


def _ensure_unique(session: Session, tenant_id: str, email: str, own_id: str | None = None) -> None:
    if held_by_another(session, m.Operator.email, tenant_id, email, own_id):
        raise AlreadyExists(f"an operator with email {email!r} exists", reason="OPERATOR_EMAIL_EXISTS",
                            field="email", email=email)


def _ensure_other_admin(session: Session, row: m.Operator) -> None:
    """A tenant keeps at least one admin, or nobody could manage it any more."""
    others = session.scalar(select(func.count()).where(m.Operator.tenant_id == row.tenant_id,
                                                       m.Operator.role == "admin", m.Operator.id != row.id))
    if not others:
        raise FailedPrecondition("the tenant's last admin cannot be removed or demoted", reason="LAST_ADMIN",
                                 operator_id=row.id)


def _assign(session: Session, operator_id: str, partner_ids: list[str]) -> None:
    session.execute(delete(m.OperatorAssignment).where(m.OperatorAssignment.operator_id == operator_id))
    session.add_all(m.OperatorAssignment(operator_id=operator_id, partner_id=pid) for pid in partner_ids)


def create(engine: Engine, request: pb.CreateOperatorRequest) -> pb.Operator:
    o = request.operator
    email = validate.email(o.email)
    name = validate.text(o.name, "name", allow_empty=True)
    role = _role(o.role)
    with writing(engine) as session:
        v = viewer_in(session)
        assigned = _assigned(v, role, o.assigned_partner_ids)
        _ensure_unique(session, v.tenant_id, email)
        row = m.Operator(id=new_id("op"), tenant_id=v.tenant_id, email=email, name=name, role=role)
        session.add(row)
        session.flush()
        _assign(session, row.id, assigned)
        return convert.operator(row, assigned)


def get(engine: Engine, request: pb.GetOperatorRequest) -> pb.Operator:
    v = viewer(engine)
    with reading(engine) as session:
        row = _row(session, v, validate.identifier(request.operator_id, "operator_id"))
        return convert.operator(row, _assignments(session, row.id))


def list_(engine: Engine, request: pb.ListOperatorsRequest) -> pb.ListOperatorsResponse:
    v = viewer(engine)
    query = select(m.Operator).where(m.Operator.tenant_id == v.tenant_id)
    with reading(engine) as session:
        rows, token = page(session, query, label=m.Operator.email, ident=m.Operator.id,
                           requested_size=request.page_size, token=request.page_token,
                           scope={"list": "operators", "tenant": v.tenant_id})
        return pb.ListOperatorsResponse(operators=[convert.operator(r, _assignments(session, r.id)) for r in rows],
                                        next_page_token=token)


def update(engine: Engine, request: pb.UpdateOperatorRequest) -> pb.Operator:
    """Change name, email, role or assignments; the principal changes on the operator's next call."""
    fields = validate.update_fields(request.update_mask, _WRITABLE)
    o = request.operator
    operator_id = validate.identifier(o.id, "id")
    email = validate.email(o.email) if "email" in fields else None
    name = validate.text(o.name, "name", allow_empty=True) if "name" in fields else None
    role = _role(o.role) if "role" in fields else None
    with writing(engine) as session:
        v = viewer_in(session)
        row = _row(session, v, operator_id)
        if email is not None:
            _ensure_unique(session, v.tenant_id, email, own_id=row.id)
            row.email = email
        if name is not None:
            row.name = name
        if role is not None and role != row.role:
            if row.role == "admin":
                _ensure_other_admin(session, row)
            row.role = role
        if "assigned_partner_ids" in fields or row.role == "admin":
            ids = o.assigned_partner_ids if "assigned_partner_ids" in fields else _assignments(session, row.id)
            _assign(session, row.id, _assigned(v, row.role, ids))
        session.flush()
        return convert.operator(row, _assignments(session, row.id))


def delete_(engine: Engine, request: pb.DeleteOperatorRequest) -> None:
    """Delete an operator; their personal tokens stop working at once."""
    operator_id = validate.identifier(request.operator_id, "operator_id")
    with writing(engine) as session:
        row = _row(session, viewer_in(session), operator_id)
        if row.role == "admin":
            _ensure_other_admin(session, row)
        revoke_subject(session, row.tenant_id, row.id)
        session.execute(delete(m.OperatorAssignment).where(m.OperatorAssignment.operator_id == row.id))
        session.delete(row)
