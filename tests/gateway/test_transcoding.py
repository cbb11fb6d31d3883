"""Transcoding against the real services: path variables (nested too), body "*" or one field, the
rest as query parameters, and the proto3 JSON mapping (lowerCamel, int64 as strings, RFC 3339
timestamps, Struct payloads) both ways."""
from __future__ import annotations

import datetime as dt

import grpc
import httpx
from google.protobuf import json_format
from partneros.directory.v1 import directory_pb2, directory_pb2_grpc

from tests.conftest import bearer
from tests.factories import World, machine_key
from tests.gateway.conftest import auth

RANGE = {"mode": "WINDOW_MODE_RANGE", "startTime": "2025-03-01T00:00:00Z", "endTime": "2025-04-01T00:00:00Z"}


def _rfc3339(text: str) -> dt.datetime:
    assert text.endswith("Z"), text
    return dt.datetime.fromisoformat(text)


def test_a_get_answers_exactly_what_the_rpc_answers(http: httpx.Client, world: World, gw_host) -> None:  # noqa: ANN001
    r = http.get("/v1/me", headers=auth(world.admin_token))
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    with grpc.insecure_channel(gw_host.address) as channel:
        direct = directory_pb2_grpc.DirectoryServiceStub(channel).GetCallerIdentity(
            directory_pb2.GetCallerIdentityRequest(), metadata=bearer(world.admin_token))
    assert r.json() == json_format.MessageToDict(direct, always_print_fields_with_no_presence=True)
    assert r.json()["tenantId"] == world.tenant_id and r.json()["kind"] == "PRINCIPAL_KIND_OPERATOR"
    timing = dict(part.strip().split(";dur=") for part in r.headers["server-timing"].split(","))
    assert set(timing) == {"gateway", "upstream"} and float(timing["upstream"]) > 0


def test_body_field_path_variable_nested_path_variable_and_query(http: httpx.Client, world: World) -> None:
    h = auth(world.admin_token)
    created = http.post("/v1/partners", headers=h, json={"name": "Gateway Reseller", "parentId": world.partners["dist_a"]})
    assert created.status_code == 200, created.text
    partner = created.json()
    assert partner["parentId"] == world.partners["dist_a"] and partner["id"].startswith("ptn")
    assert abs(_rfc3339(partner["createTime"]) - dt.datetime.now(dt.timezone.utc)) < dt.timedelta(minutes=5)

    got = http.get(f"/v1/partners/{partner['id']}", headers=h)
    assert got.status_code == 200 and got.json() == partner

    # {partner.id} fills a nested field; updateMask comes from the query; the body is the partner
    renamed = http.patch(f"/v1/partners/{partner['id']}", params={"updateMask": "name"}, headers=h,
                         json={"name": "Renamed Reseller", "parentId": world.partners["dist_b"]})
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "Renamed Reseller"
    assert renamed.json()["parentId"] == world.partners["dist_a"], "the mask limited the update to the name"

    deleted = http.delete(f"/v1/partners/{partner['id']}", headers=h)
    assert deleted.status_code == 200 and deleted.json() == {}
    assert http.get(f"/v1/partners/{partner['id']}", headers=h).status_code == 404


def test_query_parameters_page_through_a_list_in_either_spelling(http: httpx.Client, world: World) -> None:
    h = auth(world.admin_token)
    first = http.get("/v1/partners", params={"pageSize": 2}, headers=h).json()
    assert len(first["partners"]) == 2 and first["nextPageToken"]
    second = http.get("/v1/partners", params={"page_size": 2, "page_token": first["nextPageToken"]}, headers=h).json()
    assert len(second["partners"]) == 2
    assert not {p["id"] for p in first["partners"]} & {p["id"] for p in second["partners"]}
    children = http.get("/v1/partners", params={"parentId": world.partners["res_a1"]}, headers=h).json()
    assert {p["id"] for p in children["partners"]} == {world.partners["sub_a1x"], world.partners["sub_a1y"]}
    assert children["nextPageToken"] == ""  # fields without presence are always printed


def test_query_parameter_that_names_no_field_is_refused(http: httpx.Client, world: World) -> None:
    r = http.get("/v1/partners", params={"pagesize": 2}, headers=auth(world.admin_token))
    assert r.status_code == 400
    info = r.json()["error"]["details"][0]
    assert info["reason"] == "UNKNOWN_QUERY_PARAMETER" and info["metadata"]["field"] == "pagesize"


def test_ingest_struct_payloads_and_timestamps_round_trip_and_a_metric_sums_them(
        http: httpx.Client, world: World, gw_host) -> None:  # noqa: ANN001
    _, key = machine_key(gw_host.context.engine, world.tenant_id)
    events = [
        {"eventId": f"gw-{i}", "name": "purchase", "customer": {"externalId": "ext-res_a1"},
         "timestamp": f"2025-03-{10 + i:02d}T08:30:00.125Z",
         "properties": {"amount": 10.5 * (i + 1), "plan": {"tier": "pro", "seats": i}, "tags": ["a", None, True]}}
        for i in range(3)
    ]
    ingested = http.post("/v1/events:ingest", headers=auth(key), json={"events": events})
    assert ingested.status_code == 200, ingested.text
    body = ingested.json()
    assert body["acceptedCount"] == 3 and [r["status"] for r in body["results"]] == ["EVENT_STATUS_ACCEPTED"] * 3

    h = auth(world.admin_token)
    metric = http.post("/v1/metrics", headers=h, json={
        "name": "Revenue", "aggregation": "sum", "field": "amount", "eventNames": ["purchase"], "unit": "EUR"}).json()
    assert metric["version"] == "1", "int64 travels as a string"
    assert http.get(f"/v1/metrics/{metric['id']}", headers=h).json() == metric

    # body "*" plus the {metric_id} path variable
    answer = http.post(f"/v1/metrics/{metric['id']}:query", headers=h, json={
        "window": RANGE, "level": {"kind": "LEVEL_KIND_PARTNER", "id": world.partners["dist_a"]}, "grain": "GRAIN_MONTH"})
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["value"] == 10.5 + 21.0 + 31.5
    assert result["skippedCount"] == "0" and result["metricVersion"] == "1"
    assert [b["startTime"] for b in result["buckets"]] == ["2025-03-01T00:00:00Z"]

    listed = http.post("/v1/events:query", headers=h, json={"window": RANGE, "eventNames": ["purchase"]}).json()
    by_id = {e["eventId"]: e for e in listed["events"]}
    for sent in events:
        got = by_id[sent["eventId"]]
        assert got["properties"] == sent["properties"]
        assert _rfc3339(got["timestamp"]) == _rfc3339(sent["timestamp"])
        assert got["customerId"] == world.customers["res_a1"] and got["partnerId"] == world.partners["res_a1"]


def test_body_field_names_the_submessage_and_original_names_are_accepted(http: httpx.Client, world: World) -> None:
    r = http.post("/v1/events:record", headers=auth(world.admin_token), json={
        "event_id": "gw-recorded-1", "name": "note", "customer": {"customer_id": world.customers["dist_b"]},
        "properties": {"text": "called them"}})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "EVENT_STATUS_ACCEPTED" and r.json()["eventId"] == "gw-recorded-1"


def test_dashboards_with_durations_render_over_http(http: httpx.Client, world: World) -> None:
    h = auth(world.admin_token)
    metric = http.post("/v1/metrics", headers=h, json={"name": "Events", "aggregation": "count"}).json()
    created = http.post("/v1/dashboards", headers=h, json={
        "name": "Overview", "sharedWithPartners": True, "defaultWindow": RANGE,
        "widgets": [{"type": "metric", "title": "All events", "metricId": metric["id"], "timeout": "2.5s",
                     "position": {"x": 0, "y": 0, "w": 4, "h": 2}}]})
    assert created.status_code == 200, created.text
    dashboard = created.json()
    assert dashboard["widgets"][0]["timeout"] == "2.500s" and dashboard["version"] == "1"

    rendered = http.post(f"/v1/dashboards/{dashboard['id']}:render", headers=h, json={})
    assert rendered.status_code == 200, rendered.text
    widget = rendered.json()["widgets"][0]
    assert widget["errorCode"] == "" and isinstance(widget["data"]["value"], float)


def test_ingest_takes_a_payload_as_json_text_and_refuses_both_forms_at_once(
        http: httpx.Client, world: World, gw_host) -> None:  # noqa: ANN001
    _, key = machine_key(gw_host.context.engine, world.tenant_id)
    base = {"name": "purchase", "customer": {"externalId": "ext-res_a1"}, "timestamp": "2025-03-12T08:30:00Z"}
    events = [{**base, "eventId": "gj-1", "propertiesJson": '{"amount": 4.5, "plan": {"tier": "pro"}}'},
              {**base, "eventId": "gj-2", "properties": {"amount": 1}}]
    ingested = http.post("/v1/events:ingest", headers=auth(key), json={"events": events})
    assert ingested.status_code == 200, ingested.text
    assert ingested.json()["acceptedCount"] == 2
    listed = http.post("/v1/events:query", headers=auth(world.admin_token),
                       json={"window": RANGE, "eventNames": ["purchase"]}).json()
    by_id = {e["eventId"]: e["properties"] for e in listed["events"]}
    assert by_id == {"gj-1": {"amount": 4.5, "plan": {"tier": "pro"}}, "gj-2": {"amount": 1}}

    both = {**base, "eventId": "gj-3", "properties": {"amount": 1}, "propertiesJson": "{}"}
    refused = http.post("/v1/events:ingest", headers=auth(key), json={"events": [both]})
    assert refused.status_code == 400, refused.text
    assert "propertiesJson" in refused.text or "properties_json" in refused.text
