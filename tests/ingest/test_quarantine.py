"""Unresolvable events are kept, listed for operators and replayed onto the stream exactly once."""
from __future__ import annotations

import datetime as dt
import json
import threading

import grpc
import pytest
from google.protobuf import json_format
from partneros.ingest.v1 import ingest_pb2 as pb

from tests.conftest import bearer
from tests.factories import customer, machine_key, operator, partner_user
from tests.ingest.helpers import UTC, call, event, fails, stored, stored_count, stub

ACCEPTED, DUPLICATE, QUARANTINED, REJECTED = (pb.EVENT_STATUS_ACCEPTED, pb.EVENT_STATUS_DUPLICATE,
                                              pb.EVENT_STATUS_QUARANTINED, pb.EVENT_STATUS_REJECTED)
AT = dt.datetime(2026, 2, 3, 4, 5, 6, 789_000, UTC)


def _list(channel, token: str, **kwargs) -> pb.ListQuarantinedEventsResponse:  # noqa: ANN001
    return stub(channel).ListQuarantinedEvents(pb.ListQuarantinedEventsRequest(**kwargs), metadata=bearer(token))


def _replay(channel, token: str, ids: list[str] | None = None) -> pb.ReplayQuarantinedEventsResponse:  # noqa: ANN001
    return stub(channel).ReplayQuarantinedEvents(pb.ReplayQuarantinedEventsRequest(ids=ids or []),
                                                 metadata=bearer(token))


def test_unknown_customer_is_quarantined_and_listed_with_the_event_as_received(host, channel, world) -> None:
    key_id, key = machine_key(host.context.engine, world.tenant_id)
    props = {"plan": {"tier": "pro"}, "amount": 12.5, "tags": ["x", None]}
    response = call(channel, key, [event(event_id="q-1", name="purchase", email="Late@Example.com", at=AT,
                                         properties=props)])
    result = response.results[0]
    assert (result.status, result.reason, response.quarantined_count) == (QUARANTINED, "CUSTOMER_NOT_FOUND", 1)
    assert result.message.startswith("events[0].customer.email:")
    listed = _list(channel, world.admin_token).quarantined_events
    assert len(listed) == 1
    entry = listed[0]
    assert (entry.reason, entry.machine_key_id, entry.event_id) == ("CUSTOMER_NOT_FOUND", key_id, "q-1")
    assert entry.message == result.message and not entry.HasField("replay_time")
    assert (entry.event.name, entry.event.customer.email, entry.event.event_id) == ("purchase", "Late@Example.com", "q-1")
    assert entry.event.timestamp.ToDatetime(UTC) == AT
    assert json_format.MessageToDict(entry.event.properties) == props
    assert stored(host, world.tenant_id) == []


def test_replay_moves_events_once_their_customer_exists_exactly_once(host, channel, world, key) -> None:
    call(channel, key, [event(event_id="r-1", email="new@example.com", at=AT, properties={"amount": 3}),
                        event(event_id="r-2", external_id="crm-new"),
                        event(event_id="r-3", external_id="still-unknown")])
    new_id = customer(host.context.engine, world.tenant_id, world.partners["res_a2"], email="new@example.com",
                      external_id="crm-new")
    replay = _replay(channel, world.admin_token)
    by_id = {r.event_id: r for r in replay.results}
    assert (replay.replayed_count, replay.pending_count) == (2, 1)
    assert by_id["r-1"].status == by_id["r-2"].status == ACCEPTED
    assert (by_id["r-3"].status, by_id["r-3"].reason) == (QUARANTINED, "CUSTOMER_NOT_FOUND")
    rows = {r["event_id"]: r for r in stored(host, world.tenant_id)}
    assert set(rows) == {"r-1", "r-2"}
    assert (rows["r-1"]["customer_id"], rows["r-1"]["partner_id"]) == (new_id, world.partners["res_a2"])
    assert rows["r-1"]["ts_ms"] == int(AT.timestamp() * 1000) and json.loads(rows["r-1"]["properties"]) == {"amount": 3}

    again = _replay(channel, world.admin_token)  # only r-3 is still pending
    assert (again.replayed_count, again.pending_count) == (0, 1)
    entries = _list(channel, world.admin_token, include_replayed=True).quarantined_events
    replayed = {e.event_id: e.HasField("replay_time") for e in entries}
    assert replayed == {"r-1": True, "r-2": True, "r-3": False}
    named = _replay(channel, world.admin_token, [e.id for e in entries if e.event_id == "r-1"])
    assert (named.results[0].status, named.results[0].reason) == (DUPLICATE, "ALREADY_REPLAYED")
    assert stored_count(host, world.tenant_id) == 2
    assert [e.event_id for e in _list(channel, world.admin_token).quarantined_events] == ["r-3"]


def test_concurrent_replays_move_each_event_once(host, channel, world, key) -> None:
    call(channel, key, [event(event_id=f"c-{i}", external_id=f"crm-c{i % 5}") for i in range(60)])
    for i in range(5):
        customer(host.context.engine, world.tenant_id, world.partners["dist_b"], external_id=f"crm-c{i}")
    responses: list = []
    barrier = threading.Barrier(4)

    def replay() -> None:
        with grpc.insecure_channel(host.address) as ch:
            barrier.wait(timeout=30)
            responses.append(_replay(ch, world.admin_token))

    threads = [threading.Thread(target=replay) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(responses) == 4
    assert sum(r.replayed_count for r in responses) == 60
    assert stored_count(host, world.tenant_id) == 60
    assert _list(channel, world.admin_token).quarantined_events == []


def test_a_resend_after_the_customer_exists_and_a_replay_still_count_once(host, channel, world, key) -> None:
    call(channel, key, [event(event_id="once", external_id="crm-once")])
    customer(host.context.engine, world.tenant_id, world.partners["dist_a"], external_id="crm-once")
    assert call(channel, key, [event(event_id="once", external_id="crm-once")]).accepted_count == 1
    replay = _replay(channel, world.admin_token)
    assert (replay.results[0].status, replay.replayed_count) == (DUPLICATE, 0)
    assert stored_count(host, world.tenant_id) == 1
    assert _list(channel, world.admin_token).quarantined_events == []  # marked replayed all the same


def test_a_pending_event_sent_again_is_kept_once(host, channel, world, key) -> None:
    for _ in range(3):
        call(channel, key, [event(event_id="again", email="ghost@example.com")])
    assert len(_list(channel, world.admin_token).quarantined_events) == 1


def test_listing_pages_oldest_first_and_hides_replayed_entries(host, channel, world, key) -> None:
    call(channel, key, [event(event_id=f"p-{i}", external_id=f"nobody-{i}") for i in range(5)])
    ids, token = [], ""
    for _ in range(5):
        page = _list(channel, world.admin_token, page_size=2, page_token=token)
        ids += [e.event_id for e in page.quarantined_events]
        token = page.next_page_token
        if not token:
            break
    assert ids == [f"p-{i}" for i in range(5)]
    customer(host.context.engine, world.tenant_id, world.partners["dist_a"], external_id="nobody-0")
    _replay(channel, world.admin_token)
    assert [e.event_id for e in _list(channel, world.admin_token).quarantined_events] == [f"p-{i}" for i in range(1, 5)]
    assert len(_list(channel, world.admin_token, include_replayed=True).quarantined_events) == 5


def test_tampered_page_token_is_invalid_argument(channel, world) -> None:
    code, reason, *_ = fails(stub(channel).ListQuarantinedEvents,
                             pb.ListQuarantinedEventsRequest(page_token="%%%not-a-token"), metadata=bearer(world.admin_token))
    assert (code, reason) == (grpc.StatusCode.INVALID_ARGUMENT, "INVALID_PAGE_TOKEN")


def test_unknown_and_other_tenants_entries_are_not_found_alike(host, channel, world, key) -> None:
    from tests.factories import World

    other = World.build(host.context.engine, "Other")
    _, other_key = machine_key(host.context.engine, other.tenant_id)
    call(channel, other_key, [event(event_id="theirs", external_id="nobody")])
    theirs = _list(channel, other.admin_token).quarantined_events[0].id
    assert _list(channel, world.admin_token).quarantined_events == []
    replay = _replay(channel, world.admin_token, [theirs, "qev_00000000deadbeef"])
    assert [(r.status, r.reason) for r in replay.results] == [(REJECTED, "QUARANTINE_ENTRY_NOT_FOUND")] * 2
    assert replay.results[0].message.replace(theirs, "<id>") == replay.results[1].message.replace(
        "qev_00000000deadbeef", "<id>").replace("[1]", "[0]")
    assert replay.replayed_count == 0


@pytest.mark.parametrize("who", ["manager", "partner_user", "machine_key"])
def test_only_admins_list_and_replay_the_quarantine(host, channel, world, who) -> None:
    engine, pid = host.context.engine, world.partners["dist_a"]
    token = {"manager": lambda: operator(engine, world.tenant_id, role="manager", assigned=(pid,))[1],
             "partner_user": lambda: partner_user(engine, world.tenant_id, pid)[1],
             "machine_key": lambda: machine_key(engine, world.tenant_id)[1]}[who]()
    for method, request in ((stub(channel).ListQuarantinedEvents, pb.ListQuarantinedEventsRequest()),
                            (stub(channel).ReplayQuarantinedEvents, pb.ReplayQuarantinedEventsRequest())):
        assert fails(method, request, metadata=bearer(token))[:2] == (grpc.StatusCode.PERMISSION_DENIED,
                                                                      "PERMISSION_MISSING")


def test_the_quarantine_outlives_the_process(settings, world, key, channel, host) -> None:
    """Kept in the SQL store: a new host on the same store lists and replays it."""
    from libs.host import create_server

    call(channel, key, [event(event_id="durable", external_id="crm-durable")])
    host.stop(grace=1)
    again = create_server("127.0.0.1:0", services="directory,ingest", settings=settings)
    try:
        customer(again.context.engine, world.tenant_id, world.partners["dist_a"], external_id="crm-durable")
        with grpc.insecure_channel(again.address) as ch:
            assert [e.event_id for e in _list(ch, world.admin_token).quarantined_events] == ["durable"]
            assert _replay(ch, world.admin_token).replayed_count == 1
    finally:
        again.stop(grace=1)
