"""A stored payload in a response: a Struct where it travels exactly, else its JSON text, and
read back the same either way."""
from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from partneros.metrics.v1 import metrics_pb2

from libs.payload import STRUCT_DEPTH, payload_fields, payload_value

_json = st.recursive(st.none() | st.booleans() | st.integers(-2**63, 2**63) | st.text(max_size=5)
                     | st.floats(allow_nan=False, allow_infinity=False),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
                     max_leaves=20)


def _nested(depth: int) -> dict:
    value: object = 1
    for _ in range(depth - 1):
        value = {"a": value}
    return {"a": value}


@settings(max_examples=200, deadline=None)
@given(payload=st.dictionaries(st.text(max_size=4), _json, max_size=4))
def test_every_payload_reads_back_as_stored_after_the_wire(payload: dict) -> None:
    text = json.dumps(payload)
    sent = metrics_pb2.Event(**payload_fields(text))
    received = metrics_pb2.Event.FromString(sent.SerializeToString())  # decodable, whatever it holds
    assert payload_value(received) == json.loads(text)


def test_deep_or_big_payloads_travel_as_text_and_the_rest_as_a_struct() -> None:
    assert set(payload_fields(json.dumps(_nested(STRUCT_DEPTH)))) == {"properties"}
    assert set(payload_fields(json.dumps(_nested(STRUCT_DEPTH + 1)))) == {"properties_json"}
    assert payload_fields('{"n":9007199254740993}') == {"properties_json": '{"n":9007199254740993}'}
    assert set(payload_fields('{"n":9007199254740992}')) == {"properties"}
    assert payload_fields("not json") == {"properties_json": "not json"}
    page = metrics_pb2.QueryEventsResponse(events=[metrics_pb2.Event(**payload_fields(json.dumps(_nested(STRUCT_DEPTH))))])
    assert metrics_pb2.QueryEventsResponse.FromString(page.SerializeToString()) == page  # at the bound: still decodes
