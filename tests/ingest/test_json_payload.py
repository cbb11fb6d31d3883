"""Payloads sent as JSON text (`properties_json`): stored like a Struct payload, checked strictly."""
from __future__ import annotations

import datetime as dt
import json

import grpc
from partneros.ingest.v1 import ingest_pb2 as pb

from tests.conftest import bearer
from tests.ingest.helpers import UTC, call, event, fails, stored, stub

ACCEPTED, DUPLICATE, REJECTED = pb.EVENT_STATUS_ACCEPTED, pb.EVENT_STATUS_DUPLICATE, pb.EVENT_STATUS_REJECTED


def _event(text: str, **kwargs) -> pb.EventInput:  # noqa: ANN003
    out = event(**kwargs)
    out.properties_json = text
    return out


def test_json_text_payload_is_stored_as_canonical_json(host, channel, world, key) -> None:
    text = ('{ "seats": 3, "ratio": 3.0, "plan": {"tier": "pro", "limits": [1, null, true]},\n'
            '  "big": 9007199254740993, "text": "M\\u00fcnchen \\"q\\" \\t ✓" }')
    response = call(channel, key, [_event(text, event_id="j-1", external_id="ext-dist_a")])
    assert response.accepted_count == 1
    row = next(r for r in stored(host, world.tenant_id) if r["event_id"] == "j-1")
    assert json.loads(row["properties"]) == json.loads(text)
    # Canonical: sorted keys, compact; numbers keep the form they were sent in, beyond 2**53 too.
    assert row["properties"].startswith('{"big":9007199254740993,"plan":{"limits":[1,null,true],"tier":"pro"},'
                                        '"ratio":3.0,"seats":3,')


def test_each_bad_json_text_is_rejected_on_its_own_naming_the_field(host, channel, world, key) -> None:
    bad = ["", "{", '{"a": NaN}', '{"a": Infinity}', "[1, 2]", '"text"', "null",
           '{"a": "\\ud800"}', '{"f": 1e400}']
    events = [_event(text, event_id=f"bad-{i}", external_id="ext-dist_a") for i, text in enumerate(bad)]
    events.insert(3, _event('{"ok": true}', event_id="good", external_id="ext-dist_a"))
    response = call(channel, key, events)
    assert response.accepted_count == 1 and response.rejected_count == len(bad)
    for result in response.results:
        if result.event_id == "good":
            assert result.status == ACCEPTED
            continue
        assert (result.status, result.reason) == (REJECTED, "INVALID_PROPERTIES"), result
        assert result.message.startswith(f"events[{result.index}].properties_json: "), result.message
    by_id = {r.event_id: r.message for r in response.results}
    assert "must be a JSON object, not an array" in by_id["bad-4"]
    assert "is not valid JSON" in by_id["bad-2"]
    assert [r["event_id"] for r in stored(host, world.tenant_id)] == ["good"]


def test_the_same_payload_as_struct_or_json_text_gives_the_same_content_id(host, channel, world, key) -> None:
    """An event without a client id is identified by its content: a resend is a duplicate whichever
    of the two payload fields carries it."""
    payload = {"z": 1, "a": {"y": [1.5, "two", None, False]}, "ü": "tab\there \"quoted\" \x01", "n": -7}
    at = dt.datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    first = call(channel, key, [event(external_id="ext-dist_a", at=at, properties=payload)])
    again = call(channel, key, [_event(json.dumps(payload), external_id="ext-dist_a", at=at)])
    assert first.results[0].status == ACCEPTED
    assert (again.results[0].status, again.results[0].event_id) == (DUPLICATE, first.results[0].event_id)
    assert len(stored(host, world.tenant_id)) == 1


def test_record_event_takes_json_text_and_refuses_bad_text_naming_the_field(host, channel, world) -> None:
    admin = world.admin_token
    result = stub(channel).RecordEvent(
        pb.RecordEventRequest(event=_event('{"minutes": 15}', event_id="app-j", external_id="ext-res_a2")),
        metadata=bearer(admin))
    assert result.status == ACCEPTED
    assert stored(host, world.tenant_id)[0]["properties"] == '{"minutes":15}'
    code, reason, metadata, message = fails(stub(channel).RecordEvent,
                                            pb.RecordEventRequest(event=_event("[]", external_id="ext-res_a2")),
                                            metadata=bearer(admin))
    assert (code, reason, metadata.get("field")) == (grpc.StatusCode.INVALID_ARGUMENT, "INVALID_PROPERTIES",
                                                     "event.properties_json")
    assert message.startswith("event.properties_json: must be a JSON object")
