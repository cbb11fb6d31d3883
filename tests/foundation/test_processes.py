"""The host as separate processes on loopback ports: health, graceful shutdown, shared identity."""
from __future__ import annotations

import pathlib

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc
from partneros.directory.v1 import directory_pb2 as pb
from partneros.directory.v1 import directory_pb2_grpc

from libs.store import make_engine, migrate
from services.directory.bootstrap import create_tenant
from tests.conftest import bearer
from tests.processes import base_env, serve


def test_sigterm_flips_health_and_exits_cleanly(tmp_path: pathlib.Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    migrate(make_engine(url))
    env = base_env(tmp_path / "a", database_url=url)
    with serve("directory", env) as proc:
        with grpc.insecure_channel(proc.address) as ch:
            health = health_pb2_grpc.HealthStub(ch)
            assert health.Check(health_pb2.HealthCheckRequest(service="partneros.directory.v1.DirectoryService"),
                                timeout=10).status == health_pb2.HealthCheckResponse.SERVING
        assert proc.terminate() == 0


def test_two_groups_share_one_identity_store(tmp_path: pathlib.Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    engine = make_engine(url)
    migrate(engine)
    admin = create_tenant(engine, name="Multi", admin_email="ops@example.com")
    with serve("directory", base_env(tmp_path / "a", database_url=url)) as a, \
            serve("ingest,metrics", base_env(tmp_path / "b", database_url=url)) as b:
        assert a.address != b.address
        for proc in (a, b):
            with grpc.insecure_channel(proc.address) as ch:
                health = health_pb2_grpc.HealthStub(ch)
                assert health.Check(health_pb2.HealthCheckRequest(), timeout=10).status == health_pb2.HealthCheckResponse.SERVING
        with grpc.insecure_channel(a.address) as ch:
            me = directory_pb2_grpc.DirectoryServiceStub(ch).GetCallerIdentity(
                pb.GetCallerIdentityRequest(), metadata=bearer(admin.token), timeout=10)
        assert me.tenant_id == admin.tenant_id
