"""The host over a real port: health, reflection, authentication and deny-by-default."""
from __future__ import annotations

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc
from partneros.directory.v1 import directory_pb2 as pb
from partneros.directory.v1 import directory_pb2_grpc

from tests.conftest import bearer


def test_health_answers_serving_for_every_hosted_service(channel, host) -> None:
    stub = health_pb2_grpc.HealthStub(channel)
    names = ["", *[d.full_name for p in host.plugins for d in p.descriptors()]]
    assert len(names) >= 5
    for name in names:
        assert stub.Check(health_pb2.HealthCheckRequest(service=name)).status == health_pb2.HealthCheckResponse.SERVING


def test_reflection_lists_every_service(channel) -> None:
    stub = reflection_pb2_grpc.ServerReflectionStub(channel)
    responses = stub.ServerReflectionInfo(iter([reflection_pb2.ServerReflectionRequest(list_services="")]))
    names = {s.name for r in responses for s in r.list_services_response.service}
    assert {"partneros.directory.v1.DirectoryService", "partneros.ingest.v1.IngestService",
            "partneros.metrics.v1.MetricsService", "partneros.dashboards.v1.DashboardsService",
            "grpc.health.v1.Health"} <= names


def test_call_without_credentials_is_unauthenticated(channel) -> None:
    stub = directory_pb2_grpc.DirectoryServiceStub(channel)
    with pytest.raises(grpc.RpcError) as err:
        stub.GetCallerIdentity(pb.GetCallerIdentityRequest())
    assert err.value.code() is grpc.StatusCode.UNAUTHENTICATED


def test_call_with_wrong_secret_is_unauthenticated(channel, tenant) -> None:
    stub = directory_pb2_grpc.DirectoryServiceStub(channel)
    forged = tenant.token[:-4] + "AAAA"
    with pytest.raises(grpc.RpcError) as err:
        stub.GetCallerIdentity(pb.GetCallerIdentityRequest(), metadata=bearer(forged))
    assert err.value.code() is grpc.StatusCode.UNAUTHENTICATED


def test_admin_token_authenticates(channel, tenant) -> None:
    stub = directory_pb2_grpc.DirectoryServiceStub(channel)
    me = stub.GetCallerIdentity(pb.GetCallerIdentityRequest(), metadata=bearer(tenant.token))
    assert me.tenant_id == tenant.tenant_id
    assert me.kind == pb.PRINCIPAL_KIND_OPERATOR and me.role == pb.OPERATOR_ROLE_ADMIN
    assert "metrics:write" in me.permissions and "events:write" not in me.permissions


def test_partner_user_token_from_factory_authenticates(channel, host) -> None:
    from tests.factories import World, partner_user

    world = World.build(host.context.engine)
    _, token = partner_user(host.context.engine, world.tenant_id, world.partners["res_a1"])
    stub = directory_pb2_grpc.DirectoryServiceStub(channel)
    me = stub.GetCallerIdentity(pb.GetCallerIdentityRequest(), metadata=bearer(token))
    assert me.kind == pb.PRINCIPAL_KIND_PARTNER_USER and me.partner_id == world.partners["res_a1"]
    assert "metrics:write" not in me.permissions
