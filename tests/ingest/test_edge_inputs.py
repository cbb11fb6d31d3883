"""Unusual but real input: each odd event gets its own verdict (never a failed batch), every
line of a JSON-lines body stays one event, and the quarantine lists whatever it kept."""
from __future__ import annotations

import json

import grpc
import pytest
from google.protobuf import json_format
from partneros.ingest.v1 import ingest_pb2 as pb

from tests.conftest import bearer, make_settings, running_host
from tests.factories import World, machine_key
from tests.ingest.helpers import call, event, fails, stored, stub

ACCEPTED, QUARANTINED, REJECTED = pb.EVENT_STATUS_ACCEPTED, pb.EVENT_STATUS_QUARANTINED, pb.EVENT_STATUS_REJECTED


def _nested(depth: int) -> dict:
    value: object = 1
    for _ in range(depth - 1):
        value = {"a": value}
    return {"a": value}


def _jsonl(channel, key: str, lines: list[str]) -> pb.IngestEventsResponse:  # noqa: ANN001
    body = "\n".join(lines).encode()
    return stub(channel).IngestEvents(pb.IngestEventsRequest(format="jsonl", data=body), metadata=bearer(key))


@pytest.fixture
def db_host(tmp_path, clickhouse_dsn, database_url):  # noqa: ANN001, ANN201
    with running_host(make_settings(tmp_path, clickhouse_dsn, database_url)) as h:
        yield h


def test_control_characters_in_a_reference_reject_that_event_alone(db_host) -> None:  # noqa: ANN001
    """A NUL or other control character cannot name a customer (PostgreSQL cannot even hold one
    in text): the event is rejected naming the field, the batch goes on; spaces, tabs and line
    breaks around an email are still trimmed."""
    world = World.build(db_host.context.engine)
    _, key = machine_key(db_host.context.engine, world.tenant_id)
    t = world.tenant_id
    with grpc.insecure_channel(db_host.address) as channel:
        response = call(channel, key, [
            event(event_id="c-0", external_id="ext-dist_a"),
            event(event_id="c-1", external_id="ext-dist_a\x00"),
            event(event_id="c-2", email=f"dist_a\x00@{t}.example.com"),
            event(event_id="c-3", customer_id="cus\x01x"),
            event(event_id="c-4", email=f"\t DIST_A@{t}.example.com\n"),
        ])
        got = [(r.status, r.reason, r.message.split(":")[0]) for r in response.results]
        assert got == [
            (ACCEPTED, "", ""),
            (REJECTED, "CUSTOMER_REF_INVALID", "events[1].customer.external_id"),
            (REJECTED, "CUSTOMER_REF_INVALID", "events[2].customer.email"),
            (REJECTED, "CUSTOMER_REF_INVALID", "events[3].customer.customer_id"),
            (ACCEPTED, "", ""),
        ]
        code, reason, _, message = fails(stub(channel).RecordEvent, pb.RecordEventRequest(
            event=event(name="call_logged", external_id="ext\x00")), metadata=bearer(world.admin_token))
        assert (code, reason) == (grpc.StatusCode.INVALID_ARGUMENT, "CUSTOMER_REF_INVALID")
        assert message.startswith("event.customer.external_id:")
    assert {r["event_id"] for r in stored(db_host, t)} == {"c-0", "c-4"}


def test_timestamp_nanos_outside_a_second_are_rejected_not_shifted(host, channel, world, key) -> None:
    events = [event(event_id=f"n-{i}", external_id="ext-dist_a") for i in range(3)]
    for ev, nanos in zip(events, (-1, 1_000_000_000, 999_999_999)):
        ev.timestamp.seconds, ev.timestamp.nanos = 1_767_225_600, nanos
    got = [(r.status, r.reason, r.message.split(":")[0]) for r in call(channel, key, events).results]
    assert got == [(REJECTED, "INVALID_TIMESTAMP", "events[0].timestamp.nanos"),
                   (REJECTED, "INVALID_TIMESTAMP", "events[1].timestamp.nanos"), (ACCEPTED, "", "")]
    assert [r["ts_ms"] for r in stored(host, world.tenant_id)] == [1_767_225_600_999]


def test_json_lines_keep_unicode_line_separators_inside_strings_and_skip_a_byte_order_mark(host, channel, world,
                                                                                              key) -> None:
    lines = [json.dumps({"event_id": f"u-{i}", "name": "usage", "customer": {"external_id": "ext-dist_a"},
                         "properties": {"note": f"a{sep}b"}}, ensure_ascii=False)
             for i, sep in enumerate(("\u2028", "\u2029", "\u0085", "\r"))]
    lines[0] = "\ufeff" + lines[0]
    response = _jsonl(channel, key, [line + "\r" for line in lines])  # CRLF line ends
    assert [(r.index, r.status, r.event_id) for r in response.results] == [
        (i, ACCEPTED, f"u-{i}") for i in range(4)]
    notes = {r["event_id"]: json.loads(r["properties"])["note"] for r in stored(host, world.tenant_id)}
    assert notes == {"u-0": "a\u2028b", "u-1": "a\u2029b", "u-2": "a\u0085b", "u-3": "a\rb"}


def test_json_lines_that_cannot_be_stored_are_rejected_alone(host, channel, world, key) -> None:
    ok = {"name": "usage", "customer": {"external_id": "ext-dist_a"}}
    lines = [
        json.dumps({**ok, "event_id": "d-0", "properties": _nested(300)}),  # read, but deeper than orjson writes
        json.dumps({**ok, "event_id": "d-1", "properties": {"a": "[" * 1100 + "]" * 1100}}),  # a string: fine
        '{"event_id": "d-2", "name": "usage", "customer": {"external_id": "ext-dist_a"}, "properties": {"a": '
        + "[" * 1100 + "]" * 1100 + "}}",  # deeper than any JSON reader here goes
        '{"event_id": "d-3", "name": "usage", "customer": {"external_id": "ext-dist_a"}, "meta": NaN, '
        '"properties": {"n": 123456789012345678901234567890}}',  # the lenient reader keeps a 97-bit integer
        json.dumps({**ok, "event_id": None, "timestamp": "2026-01-02t03:04:05.5z"}),  # null id: absent
        json.dumps({**ok, "event_id": "d-5", "timestamp": "2016-12-31T23:59:60Z"}),  # a leap second
    ]
    response = _jsonl(channel, key, lines)
    got = [(r.status, r.reason, r.message) for r in response.results]
    assert got[0] == (REJECTED, "INVALID_PROPERTIES", "events[0].properties: nests deeper than 254 levels")
    assert got[1][0] == ACCEPTED
    assert got[2] == (REJECTED, "MALFORMED_EVENT", "events[2]: line 3 nests deeper than 254 levels")
    assert got[3][:2] == (REJECTED, "INVALID_PROPERTIES") and "64-bit" in got[3][2]
    assert got[4][0] == ACCEPTED and response.results[4].event_id.startswith("evh_")
    rows = {r["event_id"]: r for r in stored(host, world.tenant_id)}
    assert rows[response.results[4].event_id]["ts_ms"] == 1_767_323_045_500
    assert got[5][0] == ACCEPTED and rows["d-5"]["ts_ms"] == 1_483_228_800_000  # as the Unix clock counts it


def test_a_json_text_payload_deeper_than_can_be_stored_names_the_limit(channel, world, key) -> None:
    ev = pb.EventInput(event_id="deep", name="usage", customer=pb.CustomerRef(external_id="ext-dist_a"),
                       properties_json=json.dumps(_nested(300)))
    result = call(channel, key, [ev]).results[0]
    assert (result.status, result.reason) == (REJECTED, "INVALID_PROPERTIES")
    assert result.message == "events[0].properties_json: nests deeper than 254 levels"


def test_the_quarantine_lists_payloads_a_struct_cannot_hold_as_json_text(host, channel, world, key) -> None:
    """A Struct holds numbers as doubles and 32 levels at most: a deeper payload, or an integer
    beyond 2**53, is listed as its JSON text, exactly as kept; others as a Struct, as before."""
    deep, big, plain = _nested(40), {"n": 2**60 + 1}, {"plan": {"tier": "pro"}, "seats": 3}
    events = [pb.EventInput(event_id=f"q-{i}", name="usage", customer=pb.CustomerRef(external_id="nobody"),
                            properties_json=json.dumps(payload)) for i, payload in enumerate((deep, big, plain))]
    assert call(channel, key, events).quarantined_count == 3
    listed = stub(channel).ListQuarantinedEvents(pb.ListQuarantinedEventsRequest(), metadata=bearer(world.admin_token))
    by_id = {entry.event_id: entry.event for entry in listed.quarantined_events}
    assert by_id["q-0"].WhichOneof("payload") == "properties_json" and json.loads(by_id["q-0"].properties_json) == deep
    assert by_id["q-1"].properties_json == '{"n":1152921504606846977}'
    assert by_id["q-2"].WhichOneof("payload") == "properties"
    assert json_format.MessageToDict(by_id["q-2"].properties) == plain


def test_an_email_reference_resolves_however_its_characters_are_composed(host, channel, world, key) -> None:
    from tests.factories import customer

    cid = customer(host.context.engine, world.tenant_id, world.partners["dist_a"], email="Jos\u00e9@Example.com")
    response = call(channel, key, [event(event_id="nfd-1", email=" jose\u0301@example.COM "),
                                   event(event_id="nfc-1", email="jos\u00e9@example.com")])
    assert [r.status for r in response.results] == [ACCEPTED, ACCEPTED]
    assert {r["customer_id"] for r in stored(host, world.tenant_id)} == {cid}
