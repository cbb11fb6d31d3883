"""Whole-request refusals (over-size, malformed envelope) and the ingest format plugins."""
from __future__ import annotations

import json

import grpc
from partneros.ingest.v1 import ingest_pb2 as pb

from libs.plugins import INGEST_FORMATS, load_plugins
from services.ingest import limits
from tests.conftest import bearer
from tests.ingest.helpers import call, event, fails, stored, stub


def test_more_events_than_the_limit_refuse_the_whole_batch(host, channel, world, key) -> None:
    events = [pb.EventInput(name="e", customer=pb.CustomerRef(external_id="ext-dist_a"))] * (
        limits.MAX_EVENTS_PER_BATCH + 1)
    code, reason, metadata, message = fails(stub(channel).IngestEvents, pb.IngestEventsRequest(events=events),
                                            metadata=bearer(key))
    assert (code, reason) == (grpc.StatusCode.INVALID_ARGUMENT, "TOO_MANY_EVENTS")
    assert metadata == {"field": "events", "limit": "10000"} and "10001" in message
    assert stored(host, world.tenant_id) == []


def test_a_batch_over_the_byte_limit_is_refused_whole(host, channel, world, key) -> None:
    blob = "x" * 60_000  # each event stays under the per-event limit
    events = [event(event_id=f"b-{i}", external_id="ext-dist_a", properties={"blob": blob}) for i in range(290)]
    request = pb.IngestEventsRequest(events=events)
    assert request.ByteSize() > limits.MAX_BATCH_BYTES
    code, reason, metadata, _ = fails(stub(channel).IngestEvents, request, metadata=bearer(key))
    assert (code, reason, metadata["limit"]) == (grpc.StatusCode.INVALID_ARGUMENT, "BATCH_TOO_LARGE",
                                                 str(limits.MAX_BATCH_BYTES))
    assert stored(host, world.tenant_id) == []


def test_an_event_over_the_byte_limit_is_rejected_alone(host, channel, world, key) -> None:
    response = call(channel, key, [event(event_id="big", external_id="ext-dist_a", properties={"b": "x" * 66_000}),
                                   event(event_id="small", external_id="ext-dist_a")])
    assert [(r.status, r.reason) for r in response.results] == [(pb.EVENT_STATUS_REJECTED, "EVENT_TOO_LARGE"),
                                                                (pb.EVENT_STATUS_ACCEPTED, "")]
    assert str(limits.MAX_EVENT_BYTES) in response.results[0].message


def test_a_body_that_is_not_a_message_is_invalid_argument_after_authentication(host, channel, key) -> None:
    raw = channel.unary_unary("/partneros.ingest.v1.IngestService/IngestEvents",
                              request_serializer=lambda b: b, response_deserializer=lambda b: b)
    garbage = b"\x0a\xff\xff\xff\xff\x0f"  # field 1, a length far beyond the body
    code, reason, _, message = fails(raw, garbage, metadata=bearer(key))
    assert (code, reason) == (grpc.StatusCode.INVALID_ARGUMENT, "MALFORMED_REQUEST")
    assert "IngestEventsRequest" in message
    assert fails(raw, garbage)[0] is grpc.StatusCode.UNAUTHENTICATED  # credentials are checked first


def test_unknown_format_and_mismatched_bodies_are_malformed_envelopes(channel, key) -> None:
    ingest = stub(channel).IngestEvents
    cases = [
        (pb.IngestEventsRequest(format="csv", data=b"a,b"), "UNKNOWN_FORMAT", "format"),
        (pb.IngestEventsRequest(events=[event(external_id="x")], data=b"{}"), "MALFORMED_BATCH", "data"),
        (pb.IngestEventsRequest(format="jsonl", events=[event(external_id="x")]), "MALFORMED_BATCH", "events"),
        (pb.IngestEventsRequest(format="jsonl", data=b"\xff\xfe{}"), "MALFORMED_BATCH", "data"),
    ]
    for request, reason, field in cases:
        code, got, metadata, _ = fails(ingest, request, metadata=bearer(key))
        assert (code, got, metadata.get("field")) == (grpc.StatusCode.INVALID_ARGUMENT, reason, field)


def test_formats_are_plugins_and_native_and_jsonl_ship() -> None:
    formats = load_plugins(INGEST_FORMATS)
    assert {"native", "jsonl"} <= set(formats)
    assert all(callable(f.decode) and callable(f.properties) for f in formats.values())


def test_jsonl_format_ingests_lines_and_rejects_bad_lines_alone(host, channel, world, key) -> None:
    t = world.tenant_id
    lines = [
        {"event_id": "j-1", "name": "purchase", "customer": {"email": f" DIST_A@{t}.example.com"},
         "timestamp": "2026-01-02T03:04:05.678+01:00", "properties": {"amount": 12.5, "plan": {"tier": "pro"}}},
        "not json at all",
        {"event_id": "j-3", "name": "usage", "customer": {"external_id": "ext-res_a1"}},
        ["an", "array"],
        {"event_id": "j-5", "name": "usage", "customer": {"external_id": "nobody"}},
        {"event_id": "j-6", "name": "usage", "customer": {"external_id": "ext-res_a1"}, "timestamp": "yesterday"},
        {"event_id": "j-7", "name": "usage", "customer": {"external_id": "ext-res_a1"}, "properties": [1]},
    ]
    body = "\n\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines).encode()
    response = stub(channel).IngestEvents(pb.IngestEventsRequest(format="jsonl", data=body), metadata=bearer(key))
    got = [(r.index, r.status, r.reason) for r in response.results]
    assert got == [
        (0, pb.EVENT_STATUS_ACCEPTED, ""), (1, pb.EVENT_STATUS_REJECTED, "MALFORMED_EVENT"),
        (2, pb.EVENT_STATUS_ACCEPTED, ""), (3, pb.EVENT_STATUS_REJECTED, "MALFORMED_EVENT"),
        (4, pb.EVENT_STATUS_QUARANTINED, "CUSTOMER_NOT_FOUND"), (5, pb.EVENT_STATUS_REJECTED, "INVALID_TIMESTAMP"),
        (6, pb.EVENT_STATUS_REJECTED, "INVALID_PROPERTIES"),
    ]
    assert response.results[5].message.startswith("events[5].timestamp:")
    rows = {r["event_id"]: r for r in stored(host, t)}
    assert rows["j-1"]["ts_ms"] == 1767319445678 and json.loads(rows["j-1"]["properties"]) == {
        "amount": 12.5, "plan": {"tier": "pro"}}
    assert rows["j-1"]["customer_id"] == world.customers["dist_a"]
