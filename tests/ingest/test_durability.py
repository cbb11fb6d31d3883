"""Acknowledged means stored: across kill -9 of the ingest process, and while the event store is
down (the call fails UNAVAILABLE and nothing of it is reported accepted)."""
from __future__ import annotations

import pathlib
import re
import socket
import threading
import time
from dataclasses import dataclass

import grpc
import pytest
from partneros.ingest.v1 import ingest_pb2 as pb

from libs.store import make_engine, migrate
from tests.conftest import bearer, make_settings
from tests.factories import World, machine_key
from tests.ingest import chdb_probe
from tests.ingest.helpers import call, event, fails, stub
from tests.processes import base_env, serve

pytestmark = pytest.mark.slow

ACKNOWLEDGED = (pb.EVENT_STATUS_ACCEPTED, pb.EVENT_STATUS_DUPLICATE)


@dataclass
class Program:
    """An SQLite store prepared for a separate ingest process, and where its chDB lives."""

    env: dict[str, str]
    chdb_dir: pathlib.Path
    world: World
    key: str


@pytest.fixture
def program(tmp_path: pathlib.Path) -> Program:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    engine = make_engine(url)
    migrate(engine)
    world = World.build(engine)
    _, key = machine_key(engine, world.tenant_id)
    engine.dispose()
    chdb_dir = tmp_path / "clickhouse"
    return Program(base_env(tmp_path / "data", database_url=url, clickhouse_dsn=f"chdb://{chdb_dir}"), chdb_dir,
                   world, key)


def _batch(tag: str, n: int = 50) -> list[pb.EventInput]:
    refs = ["ext-dist_a", "ext-res_a1", "ext-sub_a1y", "ext-dist_b"]
    return [event(event_id=f"{tag}-{j}", name="usage", external_id=refs[j % 4], properties={"n": j})
            for j in range(n)]


def _acknowledged(response: pb.IngestEventsResponse) -> set[str]:
    return {r.event_id for r in response.results if r.status in ACKNOWLEDGED}


def test_kill_9_during_a_load_loop_loses_no_acknowledged_event(program: Program) -> None:
    acked: set[str] = set()
    in_flight: list[str] = []
    killed = threading.Event()
    enough = threading.Event()

    def load(address: str) -> None:
        with grpc.insecure_channel(address) as ch:
            deadline = time.monotonic() + 30
            for i in range(400):  # bounded in count and time
                if killed.is_set() or time.monotonic() > deadline:
                    return
                in_flight[:] = [f"load{i}"]
                try:
                    response = call(ch, program.key, _batch(f"load{i}"), timeout=10)
                except grpc.RpcError:
                    return  # the process died under us: this batch was never acknowledged
                acked.update(_acknowledged(response))
                in_flight.clear()
                if i >= 8:
                    enough.set()

    with serve("directory,ingest", program.env) as proc:
        loader = threading.Thread(target=load, args=(proc.address,))
        loader.start()
        assert enough.wait(timeout=30), "the load loop did not get going"
        proc.kill()  # SIGKILL, mid-loop
        killed.set()
        loader.join(timeout=30)
    assert len(acked) >= 400

    with serve("directory,ingest", program.env) as proc:  # restart on the same paths
        with grpc.insecure_channel(proc.address) as ch:
            # Everything acknowledged before the kill is there: resent, it is a duplicate.
            for i in range(0, 8, 3):
                again = call(ch, program.key, _batch(f"load{i}"))
                assert again.duplicate_count == 50, f"batch load{i} acknowledged but not stored"
            after = call(ch, program.key, _batch("after"))
            assert after.accepted_count == 50
            acked |= _acknowledged(after)
    stored = chdb_probe.read(str(program.chdb_dir), program.world.tenant_id)
    missing = acked - set(stored["event_ids"])
    assert not missing, f"{len(missing)} acknowledged events lost, e.g. {sorted(missing)[:5]}"
    assert stored["rows"] == len(stored["event_ids"])  # and nothing stored twice
    unacknowledged = set(stored["event_ids"]) - acked
    assert all(e.startswith(tuple(f"{b}-" for b in in_flight)) for e in unacknowledged)


def _events_table_dir(chdb_dir: pathlib.Path) -> pathlib.Path:
    """Where chDB keeps the events table's parts (Atomic database: store/<uuid[:3]>/<uuid>)."""
    sql = (chdb_dir / "metadata" / "default" / "events.sql").read_text()
    uuid = re.search(r"UUID '([0-9a-f-]+)'", sql).group(1)
    return chdb_dir / "store" / uuid[:3] / uuid


def test_event_store_failing_mid_run_acknowledges_exactly_what_was_stored(program: Program) -> None:
    with serve("directory,ingest", program.env) as proc:
        with grpc.insecure_channel(proc.address) as ch:
            acked = _acknowledged(call(ch, program.key, _batch("before")))
            assert len(acked) == 50
            table = _events_table_dir(program.chdb_dir)
            parked = table.with_name(table.name + ".parked")
            table.rename(parked)
            table.write_text("")  # a file where the part directories go: every insert fails
            try:
                code, reason, *_ = fails(stub(ch).IngestEvents, pb.IngestEventsRequest(events=_batch("during")),
                                         metadata=bearer(program.key))
                assert (code, reason) == (grpc.StatusCode.UNAVAILABLE, "EVENT_STORE_UNAVAILABLE")
                record = pb.RecordEventRequest(event=event(event_id="during-app", external_id="ext-dist_a"))
                code, reason, *_ = fails(stub(ch).RecordEvent, record, metadata=bearer(program.world.admin_token))
                assert (code, reason) == (grpc.StatusCode.UNAVAILABLE, "EVENT_STORE_UNAVAILABLE")
            finally:
                table.unlink()
                parked.rename(table)
            retried = call(ch, program.key, _batch("during"))  # the client's retry, once the store is back
            assert retried.accepted_count == 50
            acked |= _acknowledged(retried) | _acknowledged(call(ch, program.key, _batch("after")))
    stored = chdb_probe.read(str(program.chdb_dir), program.world.tenant_id)
    assert set(stored["event_ids"]) == acked and stored["rows"] == len(acked) == 150


def test_event_store_unreachable_fails_unavailable_and_accepts_nothing(tmp_path, clickhouse_dsn, host) -> None:
    """An ingest host whose ClickHouse DSN points at a closed loopback port."""
    from libs.host import create_server

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    settings = make_settings(tmp_path / "down", f"http://127.0.0.1:{closed_port}",
                             database_url=host.context.settings.database_url)
    down = create_server("127.0.0.1:0", services="directory,ingest", settings=settings)
    try:
        world = World.build(host.context.engine)
        _, key = machine_key(host.context.engine, world.tenant_id)
        with grpc.insecure_channel(down.address) as ch:
            code, reason, _, message = fails(stub(ch).IngestEvents, pb.IngestEventsRequest(events=_batch("x", 5)),
                                             metadata=bearer(key))
            assert (code, reason) == (grpc.StatusCode.UNAVAILABLE, "EVENT_STORE_UNAVAILABLE")
            assert "nothing of this call was stored" in message and str(closed_port) not in message
        with grpc.insecure_channel(host.address) as ch:  # the healthy host: the retry lands, once
            assert call(ch, key, _batch("x", 5)).accepted_count == 5
    finally:
        down.stop(grace=1)
