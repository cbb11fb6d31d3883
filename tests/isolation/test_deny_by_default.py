"""Denial by default: an RPC without a declared permission is refused, whoever calls it, and
every RPC the services serve declares one (so none is reachable by being forgotten)."""
from __future__ import annotations

from concurrent import futures

import grpc
from partneros.common.v1 import auth_pb2

from libs.identity import Authenticator
from libs.interceptor import ScopeInterceptor, method_permissions
from libs.plugins import SERVICES, load_plugins


def _descriptors() -> list:
    return [d for p in load_plugins(SERVICES).values() for d in p.descriptors()]


def test_every_served_rpc_declares_a_permission() -> None:
    undeclared = [f"{d.full_name}/{m.name}" for d in _descriptors() for m in d.methods
                  if not m.GetOptions().Extensions[auth_pb2.auth].permission]
    assert undeclared == [] and len(method_permissions(_descriptors())) > 30


def test_a_new_rpc_without_a_declared_permission_is_refused_even_for_an_admin(world, iso_host) -> None:  # noqa: ANN001
    ran: list[int] = []
    undeclared = grpc.method_handlers_generic_handler(
        "partneros.metrics.v1.MetricsService", {"ExportEverything": grpc.unary_unary_rpc_method_handler(
            lambda request, context: ran.append(1) or b"")})
    server = grpc.server(futures.ThreadPoolExecutor(2), interceptors=[
        ScopeInterceptor(Authenticator(iso_host.context.engine), method_permissions(_descriptors()))])
    server.add_generic_rpc_handlers((undeclared,))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            rpc = channel.unary_unary("/partneros.metrics.v1.MetricsService/ExportEverything")
            for actor in (world.actor("t1:admin"), world.actor("t2:user.d1"), world.actor("t1:key.all")):
                try:
                    rpc(b"", metadata=(("authorization", f"Bearer {actor.token}"),), timeout=10)
                    raise AssertionError(f"{actor.describe()} reached an RPC that declares no permission")
                except grpc.RpcError as err:
                    assert err.code() is grpc.StatusCode.PERMISSION_DENIED, (actor.name, err)
    finally:
        server.stop(0)
    assert ran == []


def test_an_rpc_the_contract_does_not_have_is_not_served(world, iso_channel, http_base) -> None:  # noqa: ANN001
    admin = world.actor("t1:admin")
    rpc = iso_channel.unary_unary("/partneros.metrics.v1.MetricsService/ExportEverything")
    try:
        rpc(b"", metadata=(("authorization", f"Bearer {admin.token}"),), timeout=10)
        raise AssertionError("an RPC outside the contract answered")
    except grpc.RpcError as err:
        assert err.code() in (grpc.StatusCode.UNIMPLEMENTED, grpc.StatusCode.PERMISSION_DENIED)
    if http_base:
        import httpx

        r = httpx.post(f"{http_base}/v1/metrics:exportEverything", headers={"Authorization": f"Bearer {admin.token}"})
        assert r.status_code in (403, 404, 405)
