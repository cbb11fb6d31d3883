"""A repeated batch, a retry or a concurrent resend never stores an event twice."""
from __future__ import annotations

import datetime as dt
import threading

import grpc
import pytest
from partneros.ingest.v1 import ingest_pb2 as pb

from tests.conftest import make_settings
from tests.factories import World, machine_key
from tests.ingest.helpers import UTC, call, event, stored, stored_count

ACCEPTED, DUPLICATE = pb.EVENT_STATUS_ACCEPTED, pb.EVENT_STATUS_DUPLICATE
AT = dt.datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def _batch(n: int, prefix: str = "ev") -> list[pb.EventInput]:
    refs = ["ext-dist_a", "ext-res_a1", "ext-sub_a1x", "ext-dist_b"]
    return [event(event_id=f"{prefix}-{i}", external_id=refs[i % 4], at=AT + dt.timedelta(minutes=i),
                  properties={"amount": i}) for i in range(n)]


def test_the_same_batch_twice_is_stored_once(host, channel, world, key) -> None:
    first = call(channel, key, _batch(50))
    second = call(channel, key, _batch(50))
    assert first.accepted_count == 50
    assert (second.accepted_count, second.duplicate_count) == (0, 50)
    assert {(r.status, r.reason) for r in second.results} == {(DUPLICATE, "ALREADY_STORED")}
    assert stored_count(host, world.tenant_id) == 50  # physically, not only after merges


def test_a_retry_with_more_events_stores_only_the_new_ones(host, channel, world, key) -> None:
    call(channel, key, _batch(3))
    retry = call(channel, key, _batch(5))
    assert [r.status for r in retry.results] == [DUPLICATE] * 3 + [ACCEPTED] * 2
    assert stored_count(host, world.tenant_id) == 5


def test_a_resend_naming_the_customer_differently_is_still_a_duplicate(host, channel, world, key) -> None:
    call(channel, key, [event(event_id="same", external_id="ext-dist_a")])
    again = call(channel, key, [event(event_id="same", email=f"DIST_A@{world.tenant_id}.example.com"),
                                event(event_id="same", customer_id=world.customers["dist_a"])])
    assert [r.status for r in again.results] == [DUPLICATE, DUPLICATE]
    assert stored_count(host, world.tenant_id) == 1


def test_event_ids_are_unique_per_customer(host, channel, world, key) -> None:
    response = call(channel, key, [event(event_id="order-1", external_id="ext-dist_a"),
                                   event(event_id="order-1", external_id="ext-dist_b")])
    assert response.accepted_count == 2


def test_a_repeated_id_within_one_batch_counts_once(host, channel, world, key) -> None:
    response = call(channel, key, [event(event_id="twice", external_id="ext-dist_a"),
                                   event(event_id="twice", external_id="ext-dist_a")])
    assert [(r.status, r.reason) for r in response.results] == [(ACCEPTED, ""), (DUPLICATE, "DUPLICATE_IN_BATCH")]
    assert stored_count(host, world.tenant_id) == 1


def test_without_an_id_an_event_with_its_own_timestamp_is_identified_by_content(host, channel, world, key) -> None:
    def batch() -> list[pb.EventInput]:
        return [event(external_id="ext-dist_a", at=AT, properties={"amount": 5, "plan": {"tier": "pro"}}),
                event(external_id="ext-dist_a", at=AT + dt.timedelta(seconds=1), properties={"amount": 5}),
                event(external_id="ext-dist_a", at=AT, properties={"amount": 6, "plan": {"tier": "pro"}})]

    first, second = call(channel, key, batch()), call(channel, key, batch())
    assert first.accepted_count == 3
    assert [r.event_id for r in first.results] == [r.event_id for r in second.results]
    assert all(r.event_id.startswith("evh_") for r in first.results)
    assert second.duplicate_count == 3
    assert stored_count(host, world.tenant_id) == 3


def test_without_an_id_or_a_timestamp_nothing_identifies_a_resend(host, channel, world, key) -> None:
    """The documented limit: such events get a fresh server id each time."""
    first = call(channel, key, [event(external_id="ext-dist_a")])
    second = call(channel, key, [event(external_id="ext-dist_a")])
    assert first.accepted_count == second.accepted_count == 1
    assert first.results[0].event_id != second.results[0].event_id
    assert stored_count(host, world.tenant_id) == 2


def _hammer(addresses: list[str], token: str, batches: list[list[pb.EventInput]], copies: int) -> list:
    """Send every batch `copies` times at once (threads, round-robin over addresses)."""
    responses: list = []
    lock = threading.Lock()
    barrier = threading.Barrier(copies * len(batches))

    def send(address: str, batch: list[pb.EventInput]) -> None:
        with grpc.insecure_channel(address) as ch:
            barrier.wait(timeout=30)
            response = call(ch, token, batch)
        with lock:
            responses.append(response)

    threads = [threading.Thread(target=send, args=(addresses[i % len(addresses)], batch))
               for i in range(copies) for batch in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return responses


def test_concurrent_resends_of_one_batch_store_each_event_once(host, world, key) -> None:
    batches = [_batch(40, "a"), _batch(40, "b")]
    responses = _hammer([host.address], key, batches, copies=4)
    assert len(responses) == 8
    assert sum(r.accepted_count for r in responses) == 80
    assert sum(r.duplicate_count for r in responses) == 3 * 80
    assert stored_count(host, world.tenant_id) == 80


@pytest.mark.postgres
def test_two_ingest_processes_on_postgresql_store_each_event_once(tmp_path, clickhouse_dsn, postgres_url) -> None:
    """Two hosts (each with its own in-process locks, like two processes) share a PostgreSQL
    store: the advisory locks make the dedupe hold across them."""
    from libs.host import create_server
    from libs.store import make_engine, migrate

    migrate(make_engine(postgres_url))
    hosts = [create_server("127.0.0.1:0", services="directory,ingest",
                           settings=make_settings(tmp_path / f"h{i}", clickhouse_dsn, postgres_url)) for i in range(2)]
    try:
        world = World.build(hosts[0].context.engine)
        _, token = machine_key(hosts[0].context.engine, world.tenant_id)
        for round_ in range(4):  # a race lost once would show; four rounds make it likely to be tried
            batches = [_batch(30, f"p{round_}"), _batch(30, f"q{round_}")]
            responses = _hammer([h.address for h in hosts], token, batches, copies=4)
            assert sum(r.accepted_count for r in responses) == 60
        assert stored_count(hosts[0], world.tenant_id) == 240
        assert len(stored(hosts[0], world.tenant_id)) == 240
    finally:
        for h in hosts:
            h.stop(grace=1)


def test_events_the_index_missed_are_recognised_after_a_restart(settings, host, channel, world, key) -> None:
    """A crash between an insert's events and its index rows leaves events the index does not
    know; a starting process re-indexes recent events, so the client's resend is a duplicate."""
    from libs.host import create_server

    assert call(channel, key, _batch(20, "gap")).accepted_count == 20
    with host.context.clickhouse.client() as client:
        client.command("ALTER TABLE event_id_index DELETE WHERE tenant_id = {t:String}",
                       parameters={"t": world.tenant_id}, settings={"mutations_sync": 2})
    host.stop(grace=1)
    again = create_server("127.0.0.1:0", services="directory,ingest", settings=settings)
    try:
        with grpc.insecure_channel(again.address) as ch:
            assert call(ch, key, _batch(20, "gap")).duplicate_count == 20
        assert stored_count(again, world.tenant_id) == 20
    finally:
        again.stop(grace=1)


def test_an_id_the_server_assigned_is_recognised_when_sent_back(host, channel, world, key) -> None:
    # No id and no timestamp: the server mints one and reports it; a client that then resends
    # the event under that id must get DUPLICATE, not a second copy.
    first = call(channel, key, [event(external_id="ext-dist_a", at=None)])
    minted = first.results[0].event_id
    assert first.accepted_count == 1 and minted.startswith("evs_")
    again = call(channel, key, [event(event_id=minted, external_id="ext-dist_a")])
    assert [(r.status, r.reason) for r in again.results] == [(DUPLICATE, "ALREADY_STORED")]
    assert stored_count(host, world.tenant_id) == 1
