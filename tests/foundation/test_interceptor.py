"""The shared interceptor over a real port: every method of every service is guarded."""
from __future__ import annotations

from concurrent import futures

import grpc
import pytest
from grpc_status import rpc_status
from google.rpc import error_details_pb2

from libs.auth import permissions_for, Principal, PrincipalKind
from libs.interceptor import ScopeInterceptor, method_permissions
from libs.plugins import SERVICES, load_plugins
from tests.conftest import bearer
from tests.factories import World, machine_key, partner_user


def _methods(host) -> list[str]:  # noqa: ANN001
    return sorted(method_permissions([d for p in host.plugins for d in p.descriptors()]))


def _call(channel: grpc.Channel, method: str, token: str | None) -> grpc.RpcError | None:
    rpc = channel.unary_unary(method, request_serializer=None, response_deserializer=None)
    try:
        rpc(b"", metadata=bearer(token) if token else None, timeout=10)
    except grpc.RpcError as err:
        return err
    return None


def _reason(err: grpc.RpcError) -> str:
    status = rpc_status.from_call(err)
    info = error_details_pb2.ErrorInfo()
    assert status is not None and status.details and status.details[0].Unpack(info)
    return info.reason


def test_every_declared_method_is_found_by_walking_the_descriptors(host) -> None:  # noqa: ANN001
    every = {f"/{d.full_name}/{m.name}" for p in load_plugins(SERVICES).values() for d in p.descriptors() for m in d.methods}
    assert set(_methods(host)) == every and len(every) > 30


def test_every_method_refuses_a_call_without_credentials(host, channel) -> None:  # noqa: ANN001
    for method in _methods(host):
        err = _call(channel, method, None)
        assert err is not None and err.code() is grpc.StatusCode.UNAUTHENTICATED, method
        assert _reason(err) == "CREDENTIALS_MISSING"


def test_every_method_refuses_a_revoked_or_forged_token(host, channel, tenant) -> None:  # noqa: ANN001
    for method in _methods(host):
        err = _call(channel, method, tenant.token + "x")
        assert err is not None and err.code() is grpc.StatusCode.UNAUTHENTICATED, method


def test_every_method_checks_the_declared_permission(host, channel) -> None:  # noqa: ANN001
    engine = host.context.engine
    world = World.build(engine)
    key_id, key = machine_key(engine, world.tenant_id)
    _, user = partner_user(engine, world.tenant_id, world.partners["res_a1"])
    perms = method_permissions([d for p in host.plugins for d in p.descriptors()])
    key_p = Principal(kind=PrincipalKind.MACHINE_KEY, id=key_id, tenant_id=world.tenant_id, scopes=frozenset({"events:write"}))
    user_p = Principal(kind=PrincipalKind.PARTNER_USER, id="u", tenant_id=world.tenant_id, partner_id="p")
    for token, principal in ((key, key_p), (user, user_p)):
        for method, needed in perms.items():
            err = _call(channel, method, token)
            if needed in permissions_for(principal):
                assert err is None or err.code() is not grpc.StatusCode.PERMISSION_DENIED or _reason(err) != "PERMISSION_MISSING", method
            else:
                assert err is not None and err.code() is grpc.StatusCode.PERMISSION_DENIED, method
                assert _reason(err) == "PERMISSION_MISSING"


def test_a_method_without_a_declared_permission_is_refused_even_for_an_admin(host) -> None:  # noqa: ANN001
    from libs.identity import Authenticator
    from partneros.directory.v1 import directory_pb2

    from services.directory.bootstrap import create_tenant

    admin = create_tenant(host.context.engine, name="X", admin_email="x@example.com")
    ran = []
    undeclared = grpc.method_handlers_generic_handler(
        "partneros.test.v1.NewService", {"Shiny": grpc.unary_unary_rpc_method_handler(lambda req, ctx: ran.append(1) or b"")})
    declared = method_permissions([directory_pb2.DESCRIPTOR.services_by_name["DirectoryService"]])
    server = grpc.server(futures.ThreadPoolExecutor(2),
                         interceptors=[ScopeInterceptor(Authenticator(host.context.engine), declared)])
    server.add_generic_rpc_handlers((undeclared,))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        with grpc.insecure_channel(f"127.0.0.1:{port}") as ch:
            err = _call(ch, "/partneros.test.v1.NewService/Shiny", admin.token)
    finally:
        server.stop(0)
    assert err is not None and err.code() is grpc.StatusCode.PERMISSION_DENIED
    assert _reason(err) == "METHOD_NOT_DECLARED" and ran == []


@pytest.mark.parametrize("token_kind", ["machine_key", "partner_user"])
def test_principal_reaches_the_handler(host, channel, token_kind: str) -> None:  # noqa: ANN001
    from partneros.directory.v1 import directory_pb2 as pb
    from partneros.directory.v1 import directory_pb2_grpc

    engine = host.context.engine
    world = World.build(engine)
    if token_kind == "machine_key":
        pid, token = machine_key(engine, world.tenant_id, partner_id=world.partners["dist_a"])
    else:
        pid, token = partner_user(engine, world.tenant_id, world.partners["sub_a1x"])
    me = directory_pb2_grpc.DirectoryServiceStub(channel).GetCallerIdentity(pb.GetCallerIdentityRequest(), metadata=bearer(token))
    assert me.principal_id == pid and me.tenant_id == world.tenant_id
