"""GetCallerIdentity: who the caller is, as the interceptor authenticated them."""
from __future__ import annotations

from partneros.directory.v1 import directory_pb2 as pb
from sqlalchemy import Engine

from libs.auth import PrincipalKind, current_principal, permissions_for
from services.directory.convert import ROLE_TO_PB

__all__ = ["get"]

_KIND = {
    PrincipalKind.OPERATOR: pb.PRINCIPAL_KIND_OPERATOR,
    PrincipalKind.PARTNER_USER: pb.PRINCIPAL_KIND_PARTNER_USER,
    PrincipalKind.MACHINE_KEY: pb.PRINCIPAL_KIND_MACHINE_KEY,
}


def get(engine: Engine, request: pb.GetCallerIdentityRequest) -> pb.CallerIdentity:
    p = current_principal()
    return pb.CallerIdentity(
        kind=_KIND[p.kind], principal_id=p.id, tenant_id=p.tenant_id,
        role=ROLE_TO_PB.get(p.role.value if p.role else "", pb.OPERATOR_ROLE_UNSPECIFIED),
        partner_id=p.partner_id or "", assigned_partner_ids=sorted(p.assigned_partner_ids),
        permissions=sorted(permissions_for(p)), display_name=p.display_name,
    )
