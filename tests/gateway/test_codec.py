"""The compiled JSON codec agrees with google.protobuf.json_format on every message the API carries
(random messages, both directions), and refuses what does not fit with the field named."""
from __future__ import annotations

import math

import orjson
import pytest
from google.protobuf import json_format
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message
from google.protobuf.message_factory import GetMessageClass
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.gateway.codec import JsonError, from_json, to_json
from services.gateway.routes import build_routes
from services.gateway.upstream import discover_services

F = FieldDescriptor
_ROUTES = build_routes(discover_services())
MESSAGES = sorted({d.full_name: d for r in _ROUTES for d in (r.method.input_type, r.method.output_type)}.values(),
                  key=lambda d: d.full_name)

_json_scalar = st.one_of(st.none(), st.booleans(), st.text(max_size=8),
                         st.floats(allow_nan=False, allow_infinity=False, width=64))
JSON = st.recursive(_json_scalar, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                          st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                    max_leaves=8)
_INTS = {F.TYPE_INT32: (-(2**31), 2**31 - 1), F.TYPE_SINT32: (-(2**31), 2**31 - 1), F.TYPE_SFIXED32: (-(2**31), 2**31 - 1),
         F.TYPE_UINT32: (0, 2**32 - 1), F.TYPE_FIXED32: (0, 2**32 - 1), F.TYPE_INT64: (-(2**63), 2**63 - 1),
         F.TYPE_SINT64: (-(2**63), 2**63 - 1), F.TYPE_SFIXED64: (-(2**63), 2**63 - 1),
         F.TYPE_UINT64: (0, 2**64 - 1), F.TYPE_FIXED64: (0, 2**64 - 1)}


def _scalar(field: FieldDescriptor) -> st.SearchStrategy:
    kind = field.type
    if kind in _INTS:
        return st.integers(*_INTS[kind])
    if kind == F.TYPE_DOUBLE:
        return st.floats(allow_nan=False, width=64)
    if kind == F.TYPE_BOOL:
        return st.booleans()
    if kind == F.TYPE_STRING:
        return st.text(max_size=10)
    if kind == F.TYPE_BYTES:
        return st.binary(max_size=10)
    if kind == F.TYPE_ENUM:
        return st.sampled_from([v.number for v in field.enum_type.values])
    raise AssertionError(f"no strategy for {field.full_name}")


def _fill(message: Message, draw, depth: int) -> None:  # noqa: ANN001
    desc: Descriptor = message.DESCRIPTOR
    name = desc.full_name
    if name == "google.protobuf.Timestamp":
        message.seconds = draw(st.integers(-62135596800, 253402300799))
        message.nanos = draw(st.sampled_from([0, 1_000_000, 123_456_000, 999_999_999, 7]))
        return
    if name == "google.protobuf.Duration":
        seconds = draw(st.integers(0, 315576000000))
        message.seconds, message.nanos = seconds, draw(st.sampled_from([0, 500_000_000, 1_000, 3]))
        return
    if name == "google.protobuf.FieldMask":
        message.paths.extend(draw(st.lists(st.from_regex(r"[a-z]+(_[a-z]+)?(\.[a-z]+)?", fullmatch=True), max_size=3)))
        return
    if name == "google.protobuf.Struct":
        message.update(draw(st.dictionaries(st.text(max_size=6), JSON, max_size=3)))
        return
    if name == "google.protobuf.Value":
        json_format.ParseDict(draw(JSON), message)
        return
    chosen_oneofs: set[str] = set()
    for field in desc.fields:
        oneof = field.containing_oneof
        if oneof is not None:
            if oneof.name in chosen_oneofs or not draw(st.booleans()):
                continue
            chosen_oneofs.add(oneof.name)
        elif not draw(st.booleans()):
            continue
        if field.type == F.TYPE_MESSAGE:
            if depth >= 3:
                continue
            if field.is_repeated:
                for _ in range(draw(st.integers(0, 2))):
                    _fill(getattr(message, field.name).add(), draw, depth + 1)
            else:
                sub = getattr(message, field.name)
                sub.SetInParent()
                _fill(sub, draw, depth + 1)
        elif field.is_repeated:
            getattr(message, field.name).extend(draw(st.lists(_scalar(field), max_size=3)))
        else:
            setattr(message, field.name, draw(_scalar(field)))


@pytest.mark.parametrize("desc", MESSAGES, ids=lambda d: d.full_name)
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
@given(data=st.data())
def test_codec_agrees_with_json_format(desc: Descriptor, data: st.DataObject) -> None:
    cls = GetMessageClass(desc)
    message = cls()
    _fill(message, data.draw, 0)
    reference = json_format.MessageToDict(message, always_print_fields_with_no_presence=True)
    assert to_json(message) == reference
    assert from_json(reference, cls) == message
    assert from_json(json_format.MessageToDict(message, preserving_proto_field_name=True), cls) == message
    assert from_json(orjson.loads(orjson.dumps(to_json(message))), cls) == message


def test_json_mapping_details() -> None:
    from partneros.ingest.v1 import ingest_pb2
    from partneros.metrics.v1 import metrics_pb2

    response = metrics_pb2.QueryMetricResponse(value=float("inf"), skipped_count=2**62, change={"value": -0.5})
    encoded = to_json(response)
    assert encoded["value"] == "Infinity" and encoded["skippedCount"] == str(2**62) and encoded["change"] == -0.5
    assert encoded["buckets"] == [] and "startTime" not in encoded  # unset message fields stay out
    event = from_json({"timestamp": "2025-01-02T03:04:05.123456789+01:00", "name": "x",
                       "customer": {"email": "a@b.c"}, "properties": {"n": None, "l": [1, "a"]}}, ingest_pb2.EventInput)
    assert (event.timestamp.seconds, event.timestamp.nanos) == (1735783445, 123456789)
    assert event.properties["n"] is None and list(event.properties["l"]) == [1.0, "a"]
    assert from_json({"skippedCount": "12", "value": "NaN"}, metrics_pb2.QueryMetricResponse).skipped_count == 12
    assert math.isnan(from_json({"value": "NaN"}, metrics_pb2.QueryMetricResponse).value)
    assert from_json({"index": 3.0}, ingest_pb2.EventResult).index == 3
    assert from_json({"status": 2}, ingest_pb2.EventResult).status == 2


@pytest.mark.parametrize("body, field", [
    ({"events": [{"name": 1}]}, "events[0].name"),
    ({"events": [{"name": "a", "customer": {"email": "x", "customerId": "y"}}]}, "events[0].customer"),
    ({"events": [{"timestamp": "yesterday"}]}, "events[0].timestamp"),
    ({"events": [{"properties": [1, 2]}]}, "events[0].properties"),
    ({"events": {"name": "a"}}, "events"),
    ({"events": [None]}, "events[0]"),
    ({"format": True}, "format"),
    ({"bogus": 1}, "bogus"),
    ({"events": [{"name": "a", "colour": "red"}]}, "events[0].colour"),
])
def test_what_does_not_fit_is_refused_naming_the_field(body: dict, field: str) -> None:
    from partneros.ingest.v1 import ingest_pb2

    with pytest.raises(JsonError) as err:
        from_json(body, ingest_pb2.IngestEventsRequest)
    assert err.value.path == field


@pytest.mark.parametrize("value", [2**31, -(2**31) - 1, 1.5, "1.5", True, "12 ", [1]])
def test_int32_out_of_range_or_not_integral_is_refused(value: object) -> None:
    from partneros.ingest.v1 import ingest_pb2

    with pytest.raises(JsonError):
        from_json({"pageSize": value}, ingest_pb2.ListQuarantinedEventsRequest)


def test_null_means_default_unknown_enum_names_and_doubled_fields_are_refused() -> None:
    from partneros.common.v1 import level_pb2
    from partneros.ingest.v1 import ingest_pb2

    assert from_json({"kind": None, "id": None}, level_pb2.Level) == level_pb2.Level()
    with pytest.raises(JsonError, match="LEVEL_KIND_SOMEWHERE"):
        from_json({"kind": "LEVEL_KIND_SOMEWHERE"}, level_pb2.Level)
    with pytest.raises(JsonError, match="given twice"):
        from_json({"pageSize": 1, "page_size": 2}, ingest_pb2.ListQuarantinedEventsRequest)
