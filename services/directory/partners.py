"""The partner tree: create, read, list, rename, move (no cycles) and delete (only when empty)."""
from __future__ import annotations

from partneros.directory.v1 import directory_pb2 as pb
from sqlalchemy import Engine, delete, func, select
from sqlalchemy import update as sql_update
from sqlalchemy.orm import Session

from libs.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from libs.identity import models as m
from libs.identity.tokens import new_id
from services.directory import convert, validate
from services.directory.access import Viewer, viewer, viewer_in
from services.directory.db import reading, writing
from services.directory.paging import page

__all__ = ["create", "get", "list_", "update", "delete_"]

_WRITABLE = ("name", "parent_id")


def _row(session: Session, v: Viewer, partner_id: str) -> m.Partner:
    v.require_partner(partner_id)
    row = session.get(m.Partner, partner_id)
    if row is None or row.tenant_id != v.tenant_id:  # deleted since the tree was read
        raise NotFound(f"partner {partner_id!r} not found", reason="PARTNER_NOT_FOUND", partner_id=partner_id)
    return row


def _out(v: Viewer, row: m.Partner) -> pb.Partner:
    """The partner as the viewer sees it: a parent above the viewer's view is not named (the
    partner is a top of their view), so a partner id they do not see never reaches them."""
    out = convert.partner(row)
    if out.parent_id and not v.sees(out.parent_id):
        out.parent_id = ""
    return out


def _parent(v: Viewer, parent_id: str) -> str | None:
    """The parent a request names: None for top level (admins only), else a visible partner."""
    parent_id = parent_id.strip()
    if not parent_id:
        if not v.sees_whole_tenant:
            raise PermissionDenied("only admins place partners at the top level", reason="TOP_LEVEL_NOT_ALLOWED",
                                   field="parent_id")
        return None
    return v.reference(parent_id, "parent_id")


def create(engine: Engine, request: pb.CreatePartnerRequest) -> pb.Partner:
    name = validate.text(request.partner.name, "name")
    with writing(engine) as session:
        v = viewer_in(session)
        row = m.Partner(id=new_id("ptn"), tenant_id=v.tenant_id, name=name,
                        parent_id=_parent(v, request.partner.parent_id))
        session.add(row)
        session.flush()
        return _out(v, row)


def get(engine: Engine, request: pb.GetPartnerRequest) -> pb.Partner:
    v = viewer(engine)
    with reading(engine) as session:
        return _out(v, _row(session, v, validate.identifier(request.partner_id, "partner_id")))


def list_(engine: Engine, request: pb.ListPartnersRequest) -> pb.ListPartnersResponse:
    v = viewer(engine)
    query = select(m.Partner).where(m.Partner.tenant_id == v.tenant_id, v.partner_filter(m.Partner.id))
    parent_id = request.parent_id.strip()
    if parent_id:
        v.require_partner(parent_id)
        query = query.where(m.Partner.parent_id == parent_id)
    with reading(engine) as session:
        rows, token = page(session, query, label=m.Partner.name, ident=m.Partner.id,
                           requested_size=request.page_size, token=request.page_token,
                           scope={"list": "partners", "tenant": v.tenant_id, "parent_id": parent_id})
        return pb.ListPartnersResponse(partners=[_out(v, r) for r in rows], next_page_token=token)


def update(engine: Engine, request: pb.UpdatePartnerRequest) -> pb.Partner:
    """Rename and/or move a partner; a move under itself or its own descendant is refused."""
    fields = validate.update_fields(request.update_mask, _WRITABLE)
    partner_id = validate.identifier(request.partner.id, "id")
    name = validate.text(request.partner.name, "name") if "name" in fields else None
    with writing(engine) as session:
        v = viewer_in(session)
        row = _row(session, v, partner_id)
        if name is not None:
            row.name = name
        if "parent_id" in fields:
            parent = _parent(v, request.partner.parent_id)
            if parent is not None and parent in v.tree.subtree(partner_id):
                raise InvalidArgument(f"moving {partner_id} under {parent} would make a cycle", reason="PARTNER_CYCLE",
                                      field="parent_id", partner_id=partner_id, parent_id=parent)
            row.parent_id = parent
        session.flush()
        return _out(v, row)


def _count(session: Session, column, partner_id: str, *also) -> int:  # noqa: ANN001, ANN002
    return int(session.scalar(select(func.count()).where(column == partner_id, *also)) or 0)


def delete_(engine: Engine, request: pb.DeletePartnerRequest) -> None:
    """Delete a partner that nothing hangs on: no sub-partners, customers, users or active keys."""
    partner_id = validate.identifier(request.partner_id, "partner_id")
    with writing(engine) as session:
        v = viewer_in(session)
        row = _row(session, v, partner_id)
        blockers = {
            "sub_partners": _count(session, m.Partner.parent_id, partner_id),
            "customers": _count(session, m.Customer.partner_id, partner_id),
            "partner_users": _count(session, m.PartnerUser.partner_id, partner_id),
            "machine_keys": _count(session, m.MachineKey.partner_id, partner_id, m.MachineKey.revoke_time.is_(None)),
        }
        present = {k: n for k, n in blockers.items() if n}
        if present:
            what = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in present.items())
            raise FailedPrecondition(f"partner {partner_id} still has {what}; move or delete them first",
                                     reason="PARTNER_NOT_EMPTY", partner_id=partner_id, **present)
        session.execute(delete(m.OperatorAssignment).where(m.OperatorAssignment.partner_id == partner_id))
        # Revoked keys never authenticate again; they stay listed, without the partner that is gone.
        session.execute(sql_update(m.MachineKey).where(m.MachineKey.partner_id == partner_id).values(partner_id=None))
        session.delete(row)
