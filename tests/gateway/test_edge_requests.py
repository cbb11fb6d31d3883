"""What real HTTP clients send at the edges: a body of the wrong shape, spellings of one bearer
token, HEAD, unusual encodings of values. Each gets the answer the contract gives, never a
silent change and never a 500."""
from __future__ import annotations

import base64
import json

import httpx
import pytest

from services.gateway.fastpath import fast_request
from tests.factories import World, machine_key
from tests.gateway.conftest import auth, running_gateway

_INGEST = "/partneros.ingest.v1.IngestService/IngestEvents"


@pytest.mark.parametrize("body", [[1, 2], "oops", 42, True])
def test_a_patch_body_that_is_not_an_object_is_refused_and_nothing_changes(http: httpx.Client, world: World,
                                                                            body: object) -> None:
    h = auth(world.admin_token)
    partner_id = world.partners["res_a1"]
    before = http.get(f"/v1/partners/{partner_id}", headers=h).json()
    r = http.patch(f"/v1/partners/{partner_id}", params={"updateMask": "parentId"}, headers=h, content=json.dumps(body),
                   )
    assert r.status_code == 400, r.text
    assert r.json()["error"]["message"] == "partner must be a JSON object"
    assert http.get(f"/v1/partners/{partner_id}", headers=h).json() == before


def test_one_token_is_one_rate_bucket_however_the_header_spells_it(gw_host, world: World) -> None:  # noqa: ANN001
    with running_gateway(gw_host, rate_per_second=0.001, rate_burst=2) as url, httpx.Client(base_url=url) as client:
        token = world.admin_token
        spellings = [f"Bearer {token}", f"bearer {token}", f"BEARER  {token}", f"bEaReR {token}"]
        codes = [client.get("/v1/me", headers={"authorization": value}).status_code for value in spellings]
        assert codes == [200, 200, 429, 429]


def test_a_header_that_is_not_a_token_is_401_not_a_gateway_fault(http: httpx.Client, world: World) -> None:
    for value in ["Bearer t\u00f6k".encode().decode("latin-1"), "Bearer a b", "Bearer", "Basic abc"]:
        r = http.get("/v1/me", headers={"authorization": value.encode("latin-1")})
        assert r.status_code == 401, (value, r.text)
        assert r.json()["error"]["details"][0]["reason"] == "CREDENTIALS_MISSING"
    assert http.get("/v1/me", headers={"authorization": f"bearer   {world.admin_token}"}).status_code == 200


def test_head_answers_like_get_without_a_body(http: httpx.Client, world: World) -> None:
    h = auth(world.admin_token)
    got = http.get("/v1/me", headers=h)
    head = http.head("/v1/me", headers=h)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == got.headers["content-length"]
    assert http.head("/v1/me").status_code == 401
    assert http.head(f"/v1/partners/{world.partners['dist_a']}", headers=h).status_code == 200


def test_values_in_forms_other_parsers_take(http: httpx.Client, world: World) -> None:
    h = auth(world.admin_token)
    metric = http.post("/v1/metrics", headers=h, json={"name": "Edge count", "aggregation": "count",
                                                        "eventNames": ["signup"]})
    assert metric.status_code == 200, metric.text
    query = f"/v1/metrics/{metric.json()['id']}:query"
    # An enum as a Unicode digit is no number: 400 naming the field, not a fault.
    r = http.post(query, headers=h, json={"grain": "\u00b2"})
    assert r.status_code == 400 and "grain" in r.json()["error"]["message"], r.text
    # A bad integer in the query string is refused naming the parameter as sent.
    for raw in ("abc", "99999999999"):
        r = http.get("/v1/partners", headers=h, params={"pageSize": raw})
        assert r.status_code == 400, r.text
        details = r.json()["error"]["details"][0]
        assert (details["reason"], details["metadata"]["field"]) == ("INVALID_QUERY_PARAMETER", "pageSize")
    # Percent-escapes of bytes that are not UTF-8 are refused in a path as in a query.
    r = http.get("/v1/metrics/%E9", headers=h)
    assert r.status_code == 400 and r.json()["error"]["details"][0]["reason"] == "INVALID_PATH_PARAMETER", r.text


def test_bytes_fields_take_base64_wrapped_in_lines(gw_host, http: httpx.Client, world: World) -> None:  # noqa: ANN001
    _, key = machine_key(gw_host.context.engine, world.tenant_id)
    lines = "\n".join(json.dumps({"event_id": f"w-{i}", "name": "wrapped", "customer": {"external_id": "ext-dist_a"},
                                  "properties": {"pad": "x" * 40}}) for i in range(3))
    wrapped = base64.encodebytes(lines.encode()).decode()  # 76 characters a line, as `base64` writes it
    assert "\n" in wrapped.strip()
    r = http.post("/v1/events:ingest", headers=auth(key), json={"format": "jsonl", "data": wrapped})
    assert r.status_code == 200, r.text
    assert r.json()["acceptedCount"] == 3


def _event(**extra: object) -> dict:
    return {"eventId": "e", "name": "n", "customer": {"externalId": "x"}, **extra}


def test_the_fast_path_declines_what_the_generic_decoder_would_refuse() -> None:
    from partneros.ingest.v1 import ingest_pb2 as pb

    def deep(levels: int) -> dict:
        value: object = 1
        for _ in range(levels - 1):
            value = {"a": value}
        return {"a": value}

    fit = fast_request(_INGEST, {"events": [_event(timestamp="2025-02-28T00:00:00Z", properties=deep(32))]},
                       pb.IngestEventsRequest)
    assert fit is not None and fit.format == "jsonl"
    for event in [_event(timestamp="2025-02-30T00:00:00Z"), _event(timestamp="0001-01-01T00:00:00+01:00"),
                  _event(properties=deep(33)), _event(properties=deep(300))]:
        assert fast_request(_INGEST, {"events": [event, _event()]}, pb.IngestEventsRequest) is None, event


def test_an_impossible_date_fails_the_request_whichever_path_reads_it(gw_host, http: httpx.Client,  # noqa: ANN001
                                                                      world: World) -> None:
    _, key = machine_key(gw_host.context.engine, world.tenant_id)
    good = {"eventId": "ok", "name": "usage", "customer": {"externalId": "ext-dist_a"}}
    for body in ({"events": [{**good, "eventId": "bad", "timestamp": "2025-02-30T00:00:00Z"}, good]},
                 {"format": "", "events": [{**good, "eventId": "bad", "timestamp": "2025-02-30T00:00:00Z"}, good]}):
        r = http.post("/v1/events:ingest", headers=auth(key), json=body)
        assert r.status_code == 400 and "timestamp" in r.json()["error"]["message"], r.text
    deep: object = 1
    for _ in range(300):
        deep = {"a": deep}
    r = http.post("/v1/events:ingest", headers=auth(key), json={"events": [{**good, "properties": deep}]})
    assert r.status_code == 400, r.text


def test_a_compressed_body_is_415_naming_the_encoding(http: httpx.Client, world: World) -> None:
    import gzip

    r = http.post("/v1/partners", headers={**auth(world.admin_token), "content-type": "application/json",
                                           "content-encoding": "gzip"},
                  content=gzip.compress(b'{"name": "Zipped"}'))
    assert r.status_code == 415, r.text
    assert r.json()["error"]["details"][0]["reason"] == "UNSUPPORTED_CONTENT_ENCODING"
