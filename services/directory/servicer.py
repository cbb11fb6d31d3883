"""gRPC servicer of the directory service: one route per RPC to a small handler module.

Handlers take (engine, request) and raise libs.errors; the shared interceptor has already
authenticated the caller and checked the declared permission.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from google.protobuf import empty_pb2
from partneros.directory.v1 import directory_pb2_grpc
from sqlalchemy import Engine

from libs.host.context import HostContext
from services.directory import (customers, identity, machine_keys, operators, partner_users, partners,
                                personal_tokens, tenants)

__all__ = ["DirectoryServicer", "ROUTES"]

Handler = Callable[[Engine, Any], Any]

ROUTES: dict[str, Handler] = {
    "GetCallerIdentity": identity.get,
    "GetTenant": tenants.get,
    "UpdateTenant": tenants.update,
    "CreatePartner": partners.create,
    "GetPartner": partners.get,
    "ListPartners": partners.list_,
    "UpdatePartner": partners.update,
    "DeletePartner": partners.delete_,
    "CreateCustomer": customers.create,
    "GetCustomer": customers.get,
    "ListCustomers": customers.list_,
    "UpdateCustomer": customers.update,
    "DeleteCustomer": customers.delete_,
    "CreateOperator": operators.create,
    "GetOperator": operators.get,
    "ListOperators": operators.list_,
    "UpdateOperator": operators.update,
    "DeleteOperator": operators.delete_,
    "CreatePartnerUser": partner_users.create,
    "GetPartnerUser": partner_users.get,
    "ListPartnerUsers": partner_users.list_,
    "UpdatePartnerUser": partner_users.update,
    "DeletePartnerUser": partner_users.delete_,
    "CreateMachineKey": machine_keys.create,
    "GetMachineKey": machine_keys.get,
    "ListMachineKeys": machine_keys.list_,
    "RevokeMachineKey": machine_keys.revoke,
    "CreatePersonalToken": personal_tokens.create,
    "ListPersonalTokens": personal_tokens.list_,
    "RevokePersonalToken": personal_tokens.revoke,
}


class DirectoryServicer(directory_pb2_grpc.DirectoryServiceServicer):
    """Serves every DirectoryService RPC from ROUTES against the host's SQL store."""

    def __init__(self, context: HostContext) -> None:
        self._ctx = context


def _method(name: str, handler: Handler) -> Callable[..., Any]:
    def method(self: DirectoryServicer, request: Any, context: Any) -> Any:
        result = handler(self._ctx.engine, request)
        return empty_pb2.Empty() if result is None else result

    method.__name__ = method.__qualname__ = name
    method.__doc__ = handler.__doc__
    return method


for _name, _handler in ROUTES.items():
    setattr(DirectoryServicer, _name, _method(_name, _handler))
