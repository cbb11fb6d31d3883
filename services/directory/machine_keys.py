"""Machine keys: secret shown once, stored as prefix + hash, scoped, optionally bound to a partner."""
from __future__ import annotations

from collections.abc import Iterable

from partneros.directory.v1 import directory_pb2 as pb
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from libs.auth import MACHINE_SCOPES
from libs.errors import InvalidArgument, NotFound, PermissionDenied
from libs.identity import models as m
from libs.identity.tokens import MACHINE_KEY_KIND, hash_secret, new_id, new_secret
from services.directory import convert, validate
from services.directory.access import Viewer, viewer, viewer_in
from services.directory.db import reading, writing
from services.directory.paging import page

__all__ = ["create", "get", "list_", "revoke", "scopes"]


def scopes(requested: Iterable[str]) -> list[str]:
    """The requested scopes, each one a machine scope; INVALID_ARGUMENT naming `scopes` otherwise."""
    wanted = sorted({s.strip() for s in requested if s.strip()})
    allowed = ",".join(sorted(MACHINE_SCOPES))
    if not wanted:
        raise InvalidArgument(f"scopes is required; allowed: {allowed}", reason="INVALID_SCOPES", field="scopes",
                              allowed=allowed)
    unknown = [s for s in wanted if s not in MACHINE_SCOPES]
    if unknown:
        raise InvalidArgument(f"scopes not grantable to a machine key: {', '.join(unknown)}; allowed: {allowed}",
                              reason="INVALID_SCOPES", field="scopes", scopes=",".join(unknown), allowed=allowed)
    return wanted


def _visible(v: Viewer, row: m.MachineKey) -> bool:
    """Unbound keys reach the whole tenant, so only a whole-tenant viewer sees them."""
    return row.tenant_id == v.tenant_id and (v.sees_whole_tenant or v.sees(row.partner_id))


def _row(session: Session, v: Viewer, key_id: str) -> m.MachineKey:
    row = session.get(m.MachineKey, key_id)
    if row is None or not _visible(v, row):
        raise NotFound(f"machine key {key_id!r} not found", reason="MACHINE_KEY_NOT_FOUND", machine_key_id=key_id)
    return row


def create(engine: Engine, request: pb.CreateMachineKeyRequest) -> pb.CreateMachineKeyResponse:
    k = request.machine_key
    granted = scopes(k.scopes)
    display_name = validate.text(k.display_name, "display_name", allow_empty=True)
    partner_id = k.partner_id.strip() or None
    with writing(engine) as session:
        v = viewer_in(session)
        if partner_id is not None:
            v.reference(partner_id, "partner_id")
        elif not v.sees_whole_tenant:
            raise PermissionDenied("only admins create keys that reach the whole tenant",
                                   reason="UNBOUND_KEY_NOT_ALLOWED", field="partner_id")
        secret, prefix = new_secret(MACHINE_KEY_KIND)
        row = m.MachineKey(id=new_id("mk"), tenant_id=v.tenant_id, display_name=display_name, prefix=prefix,
                           secret_hash=hash_secret(secret), scopes=" ".join(granted), partner_id=partner_id)
        session.add(row)
        session.flush()
        return pb.CreateMachineKeyResponse(machine_key=convert.machine_key(row), secret=secret)


def get(engine: Engine, request: pb.GetMachineKeyRequest) -> pb.MachineKey:
    v = viewer(engine)
    with reading(engine) as session:
        return convert.machine_key(_row(session, v, validate.identifier(request.machine_key_id, "machine_key_id")))


def list_(engine: Engine, request: pb.ListMachineKeysRequest) -> pb.ListMachineKeysResponse:
    v = viewer(engine)
    query = select(m.MachineKey).where(m.MachineKey.tenant_id == v.tenant_id)
    if not v.sees_whole_tenant:
        query = query.where(m.MachineKey.partner_id.is_not(None), v.partner_filter(m.MachineKey.partner_id))
    partner_id = request.partner_id.strip()
    if partner_id:
        v.require_partner(partner_id)
        query = query.where(m.MachineKey.partner_id == partner_id)
    with reading(engine) as session:
        rows, token = page(session, query, label=m.MachineKey.display_name, ident=m.MachineKey.id,
                           requested_size=request.page_size, token=request.page_token,
                           scope={"list": "machine_keys", "tenant": v.tenant_id, "partner_id": partner_id})
        return pb.ListMachineKeysResponse(machine_keys=[convert.machine_key(r) for r in rows], next_page_token=token)


def revoke(engine: Engine, request: pb.RevokeMachineKeyRequest) -> pb.MachineKey:
    """Revoke at once: keys are checked against the store on every call. Revoking twice keeps the first time."""
    key_id = validate.identifier(request.machine_key_id, "machine_key_id")
    with writing(engine) as session:
        row = _row(session, viewer_in(session), key_id)
        if row.revoke_time is None:
            row.revoke_time = m.utcnow()
        session.flush()
        return convert.machine_key(row)
