"""The ingest fast path changes nothing a client can see: the same batch through the gateway and
natively over gRPC is stored identically (content-derived ids match, so a resend is a duplicate)
and gets the same verdicts; whatever the generic path would refuse still takes the generic path."""
from __future__ import annotations

import copy

import grpc
import httpx
import pytest
from partneros.ingest.v1 import ingest_pb2, ingest_pb2_grpc

from services.gateway.codec import from_json, to_json
from services.gateway.fastpath import MAX_LINE_BYTES, fast_request
from tests.conftest import bearer
from tests.factories import World, machine_key
from tests.gateway.conftest import auth

RPC = "/partneros.ingest.v1.IngestService/IngestEvents"
REQUEST = ingest_pb2.IngestEventsRequest


def _payloads(tag: str) -> list[dict]:
    """Events without client ids (identified by content), with numbers a Struct rewrites."""
    return [
        {"name": "purchase", "customer": {"externalId": "ext-res_a1"}, "timestamp": "2025-02-03T04:05:06.789+02:00",
         "properties": {"amount": 100.0, "seats": 3, "big": 2**60, "neg": -0.0, "tag": tag, "ratio": 0.1,
                        "nested": {"list": [1, 2.5, None, "ü", True], "empty": {}}, "none": None}},
        {"name": "signup", "customer": {"email": " Res_A1@{tenant}.example.com "}, "timestamp": "2025-02-04T00:00:00Z",
         "properties": {"tag": tag}},
        {"event_id": f"{tag}-named", "name": "usage", "customer": {"customer_id": "{customer}"},
         "timestamp": "2025-02-05T00:00:00.5Z", "properties": None},
        {"name": "x" * 300, "customer": {"externalId": "ext-res_a1"}, "timestamp": "2025-02-06T00:00:00Z"},
        {"name": "future", "customer": {"externalId": "ext-res_a1"}, "timestamp": "2999-01-01T00:00:00Z"},
        {"name": "orphan", "customer": {"externalId": f"nobody-{tag}"}, "timestamp": "2025-02-07T00:00:00Z"},
    ]


def _batch(world: World, tag: str) -> dict:
    events = _payloads(tag)
    events[1]["customer"]["email"] = events[1]["customer"]["email"].format(tenant=world.tenant_id)
    events[2]["customer"]["customer_id"] = world.customers["res_a1"]
    return {"events": events}


def _verdicts(results: list[dict]) -> list[tuple]:
    return [(r["index"], r["status"], r["reason"]) for r in results]


def test_fast_path_takes_well_formed_batches_only() -> None:
    good = {"events": [{"eventId": "a", "name": "n", "customer": {"email": "e@x.y"}, "properties": {"n": 1.0}}]}
    made = fast_request(RPC, copy.deepcopy(good), REQUEST)
    assert made is not None and made.format == "jsonl" and not made.events
    assert made.data == b'{"event_id":"a","name":"n","customer":{"email":"e@x.y"},"properties":{"n":1}}'
    unfit = [
        {"events": [{"eventId": "a", "colour": "red"}]},  # unknown field: the generic path refuses it
        {"events": [{"name": "n", "customer": {"email": "a", "customerId": "b"}}]},  # two references
        {"events": [{"name": "n", "customer": {"email": ""}}]},  # an empty reference
        {"events": [{"name": "n", "timestamp": "2025-01-01T00:00:00.123456789Z"}]},  # nanoseconds
        {"events": [{"name": "n", "timestamp": "2025-01-01"}]},
        {"events": [{"name": 5}]},
        {"events": [{"name": "n", "eventId": "a", "event_id": "b"}]},
        {"events": [{"name": "n", "properties": [1]}]},
        {"events": [{"name": "n", "properties": {"pad": "x" * MAX_LINE_BYTES}}]},  # size verdicts could differ
        {"events": [], "format": "jsonl"},
        {"events": []},
        {"events": ["not an object"]},
    ]
    for body in unfit:
        assert fast_request(RPC, copy.deepcopy(body), REQUEST) is None, body
    assert fast_request("/partneros.metrics.v1.MetricsService/QueryMetric", good, REQUEST) is None


def test_same_batch_same_storage_and_verdicts_as_native_grpc(gw_host, http: httpx.Client, world: World) -> None:  # noqa: ANN001
    _, key = machine_key(gw_host.context.engine, world.tenant_id)
    with grpc.insecure_channel(gw_host.address) as channel:
        stub = ingest_pb2_grpc.IngestServiceStub(channel)
        # native first, then the same content through the gateway: identical ids, so duplicates
        native = to_json(stub.IngestEvents(from_json(_batch(world, "one"), REQUEST), metadata=bearer(key)))
        assert fast_request(RPC, _batch(world, "one"), REQUEST) is not None, "the batch takes the fast path"
        over_http = http.post("/v1/events:ingest", headers=auth(key), json=_batch(world, "one")).json()
        # and the other way round with fresh content
        first_http = http.post("/v1/events:ingest", headers=auth(key), json=_batch(world, "two")).json()
        then_native = to_json(stub.IngestEvents(from_json(_batch(world, "two"), REQUEST), metadata=bearer(key)))

    expected = [(0, "EVENT_STATUS_ACCEPTED", ""), (1, "EVENT_STATUS_ACCEPTED", ""), (2, "EVENT_STATUS_ACCEPTED", "")]
    assert _verdicts(native["results"])[:3] == expected
    assert [r["status"] for r in native["results"][3:]] == ["EVENT_STATUS_REJECTED", "EVENT_STATUS_REJECTED",
                                                             "EVENT_STATUS_QUARANTINED"]
    assert _verdicts(first_http["results"]) == _verdicts(native["results"])
    for first, resent in ((native, over_http), (first_http, then_native)):
        assert [r["status"] for r in resent["results"][:3]] == ["EVENT_STATUS_DUPLICATE"] * 3
        assert [r["eventId"] for r in resent["results"][:3]] == [r["eventId"] for r in first["results"][:3]]
        assert _verdicts(resent["results"])[3:] == _verdicts(first["results"])[3:]
        assert [r["message"] for r in resent["results"][3:5]] == [r["message"] for r in first["results"][3:5]]


@pytest.mark.parametrize("body, field", [
    ({"events": [{"name": "n", "customer": {"email": "a@b.c", "customerId": "x"}}]}, "events[0].customer"),
    ({"events": [{"name": "n", "colour": "red"}]}, "events[0].colour"),
])
def test_what_the_fast_path_declines_gets_the_generic_answer(http: httpx.Client, gw_host, world: World,  # noqa: ANN001
                                                             body: dict, field: str) -> None:
    _, key = machine_key(gw_host.context.engine, world.tenant_id)
    r = http.post("/v1/events:ingest", headers=auth(key), json=body)
    assert r.status_code == 400 and r.json()["error"]["details"][0]["reason"] == "INVALID_REQUEST_FIELD"
    assert r.json()["error"]["details"][0]["metadata"].get("field", "") == field
