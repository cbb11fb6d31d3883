"""People who work for a partner: they see that partner's subtree only."""
from __future__ import annotations

from partneros.directory.v1 import directory_pb2 as pb
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from libs.errors import AlreadyExists, NotFound
from libs.identity import models as m
from libs.identity.tokens import new_id
from services.directory import convert, validate
from services.directory.access import Viewer, viewer, viewer_in
from services.directory.db import held_by_another, reading, writing
from services.directory.paging import page
from services.directory.personal_tokens import revoke_subject

__all__ = ["create", "get", "list_", "update", "delete_"]

_WRITABLE = ("partner_id", "email", "name")


def _row(session: Session, v: Viewer, user_id: str) -> m.PartnerUser:
    row = session.get(m.PartnerUser, user_id)
    if row is None or row.tenant_id != v.tenant_id or not v.sees(row.partner_id):
        raise NotFound(f"partner user {user_id!r} not found", reason="PARTNER_USER_NOT_FOUND",
                       partner_user_id=user_id)
    return row


def _ensure_unique(session: Session, tenant_id: str, email: str, own_id: str | None = None) -> None:
    if held_by_another(session, m.PartnerUser.email, tenant_id, email, own_id):
        raise AlreadyExists(f"a partner user with email {email!r} exists", reason="PARTNER_USER_EMAIL_EXISTS",
                            field="email", email=email)


def create(engine: Engine, request: pb.CreatePartnerUserRequest) -> pb.PartnerUser:
    u = request.partner_user
    partner_id = validate.required(u.partner_id, "partner_id")
    email = validate.email(u.email)
    name = validate.text(u.name, "name", allow_empty=True)
    with writing(engine) as session:
        v = viewer_in(session)
        v.reference(partner_id, "partner_id")
        _ensure_unique(session, v.tenant_id, email)
        row = m.PartnerUser(id=new_id("pu"), tenant_id=v.tenant_id, partner_id=partner_id, email=email, name=name)
        session.add(row)
        session.flush()
        return convert.partner_user(row)


def get(engine: Engine, request: pb.GetPartnerUserRequest) -> pb.PartnerUser:
    v = viewer(engine)
    with reading(engine) as session:
        return convert.partner_user(_row(session, v, validate.identifier(request.partner_user_id, "partner_user_id")))


def list_(engine: Engine, request: pb.ListPartnerUsersRequest) -> pb.ListPartnerUsersResponse:
    v = viewer(engine)
    query = select(m.PartnerUser).where(m.PartnerUser.tenant_id == v.tenant_id,
                                        v.partner_filter(m.PartnerUser.partner_id))
    partner_id = request.partner_id.strip()
    if partner_id:
        v.require_partner(partner_id)
        query = query.where(m.PartnerUser.partner_id == partner_id)
    with reading(engine) as session:
        rows, token = page(session, query, label=m.PartnerUser.email, ident=m.PartnerUser.id,
                           requested_size=request.page_size, token=request.page_token,
                           scope={"list": "partner_users", "tenant": v.tenant_id, "partner_id": partner_id})
        return pb.ListPartnerUsersResponse(partner_users=[convert.partner_user(r) for r in rows],
                                           next_page_token=token)


def update(engine: Engine, request: pb.UpdatePartnerUserRequest) -> pb.PartnerUser:
    """Move a user to another partner or fix their email/name; their next call sees the new slice."""
    fields = validate.update_fields(request.update_mask, _WRITABLE)
    u = request.partner_user
    user_id = validate.identifier(u.id, "id")
    partner_id = validate.required(u.partner_id, "partner_id") if "partner_id" in fields else None
    email = validate.email(u.email) if "email" in fields else None
    name = validate.text(u.name, "name", allow_empty=True) if "name" in fields else None
    with writing(engine) as session:
        v = viewer_in(session)
        row = _row(session, v, user_id)
        if partner_id is not None:
            row.partner_id = v.reference(partner_id, "partner_id")
        if email is not None:
            _ensure_unique(session, v.tenant_id, email, own_id=row.id)
            row.email = email
        if name is not None:
            row.name = name
        session.flush()
        return convert.partner_user(row)


def delete_(engine: Engine, request: pb.DeletePartnerUserRequest) -> None:
    """Delete a partner user; their personal tokens stop working at once."""
    user_id = validate.identifier(request.partner_user_id, "partner_user_id")
    with writing(engine) as session:
        row = _row(session, viewer_in(session), user_id)
        revoke_subject(session, row.tenant_id, row.id)
        session.delete(row)
