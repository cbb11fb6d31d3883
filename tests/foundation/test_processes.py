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


def test_sigterm_lets_in_flight_calls_finish(tmp_path: pathlib.Path) -> None:
    import threading

    from partneros.ingest.v1 import ingest_pb2, ingest_pb2_grpc

    from tests.factories import World, machine_key

    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    engine = make_engine(url)
    migrate(engine)
    world = World.build(engine)
    _, key = machine_key(engine, world.tenant_id)
    env = base_env(tmp_path / "a", database_url=url, clickhouse_dsn=f"chdb://{tmp_path / 'ch'}")
    batch = ingest_pb2.IngestEventsRequest(events=[
        ingest_pb2.EventInput(event_id=f"e{i}", name="usage", customer=ingest_pb2.CustomerRef(external_id="ext-res_a1"))
        for i in range(5000)])
    with serve("directory,ingest", env) as proc:
        with grpc.insecure_channel(proc.address) as ch:
            stub = ingest_pb2_grpc.IngestServiceStub(ch)
            stub.IngestEvents(ingest_pb2.IngestEventsRequest(events=batch.events[:1]), metadata=bearer(key), timeout=60)
            future = stub.IngestEvents.future(batch, metadata=bearer(key), timeout=60)
            threading.Event().wait(0.05)  # the call is on its way or being served
            proc.proc.send_signal(__import__("signal").SIGTERM)
            response = future.result()
        assert response.accepted_count + response.duplicate_count == 5000
        assert proc.proc.wait(timeout=30) == 0
