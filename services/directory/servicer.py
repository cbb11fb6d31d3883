"""gRPC servicer of the directory service."""
from __future__ import annotations

from partneros.directory.v1 import directory_pb2 as pb
from partneros.directory.v1 import directory_pb2_grpc

from libs.auth import PrincipalKind, current_principal, permissions_for
from libs.host.context import HostContext

_KIND = {
    PrincipalKind.OPERATOR: pb.PRINCIPAL_KIND_OPERATOR,
    PrincipalKind.PARTNER_USER: pb.PRINCIPAL_KIND_PARTNER_USER,
    PrincipalKind.MACHINE_KEY: pb.PRINCIPAL_KIND_MACHINE_KEY,
}
_ROLE = {"admin": pb.OPERATOR_ROLE_ADMIN, "manager": pb.OPERATOR_ROLE_MANAGER}


class DirectoryServicer(directory_pb2_grpc.DirectoryServiceServicer):
    def __init__(self, context: HostContext) -> None:
        self._ctx = context

    def GetCallerIdentity(self, request: pb.GetCallerIdentityRequest, context) -> pb.CallerIdentity:  # noqa: ANN001, N802
        p = current_principal()
        return pb.CallerIdentity(
            kind=_KIND[p.kind], principal_id=p.id, tenant_id=p.tenant_id,
            role=_ROLE.get(p.role.value if p.role else "", pb.OPERATOR_ROLE_UNSPECIFIED),
            partner_id=p.partner_id or "", assigned_partner_ids=sorted(p.assigned_partner_ids),
            permissions=sorted(permissions_for(p)), display_name=p.display_name,
        )
