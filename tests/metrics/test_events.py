"""QueryEvents: newest first, filtered like metrics, paged by an opaque cursor, payload as JSON."""
from __future__ import annotations

import datetime as dt
import json

import grpc
import pytest
from google.protobuf import json_format, struct_pb2
from partneros.common.v1 import filter_pb2, window_pb2
from partneros.metrics.v1 import metrics_pb2 as pb

from tests import factories
from tests.conftest import bearer
from tests.metrics.conftest import event, insert_events

UTC = dt.timezone.utc
T0 = dt.datetime(2025, 7, 1, 8, tzinfo=UTC)
PAYLOAD = {"plan": {"tier": "pro", "seats": [1, 2, {"x": None}]}, "amount": 12.5, "trial": False, "note": "ü"}


@pytest.fixture(scope="module")
def program(engine, pool):  # noqa: ANN001, ANN201
    tenant_id, token = factories.tenant(engine, "Events")
    partner = factories.partner(engine, tenant_id, "P")
    customers = [factories.customer(engine, tenant_id, partner) for _ in range(3)]
    rows = []
    for i in range(30):  # ten instants, three events at each: ties must page cleanly
        at = T0 + dt.timedelta(minutes=i // 3, milliseconds=7)
        name = "purchase" if i % 2 else "usage"
        rows.append(event(tenant_id, partner, customers[i % 3], name, at, {**PAYLOAD, "i": i}, event_id=f"evt_{i:02d}"))
    insert_events(pool, rows)
    return tenant_id, token, rows


def _all_pages(stub, token: str, request: pb.QueryEventsRequest) -> list[pb.Event]:  # noqa: ANN001
    out: list[pb.Event] = []
    for _ in range(50):
        page = stub.QueryEvents(request, metadata=bearer(token))
        out += page.events
        if not page.next_page_token:
            return out
        request.page_token = page.next_page_token
    raise AssertionError("paging did not end")


def test_pages_hold_every_event_once_newest_first(stub, program) -> None:  # noqa: ANN001
    _, token, rows = program
    got = _all_pages(stub, token, pb.QueryEventsRequest(page_size=4))
    assert len(got) == 30 and len({e.event_id for e in got}) == 30
    keys = [(e.timestamp.ToDatetime(), e.event_id) for e in got]
    assert keys == sorted(keys, reverse=True)
    first = stub.QueryEvents(pb.QueryEventsRequest(page_size=4), metadata=bearer(token))
    assert [e.event_id for e in first.events] == [e.event_id for e in got[:4]]


def test_the_payload_comes_back_as_json(stub, program) -> None:  # noqa: ANN001
    _, token, rows = program
    newest = stub.QueryEvents(pb.QueryEventsRequest(page_size=1), metadata=bearer(token)).events[0]
    assert json_format.MessageToDict(newest.properties) == {**PAYLOAD, "i": 29}
    assert newest.source == "api" and newest.name == "purchase"
    assert newest.timestamp.ToDatetime(UTC) == T0 + dt.timedelta(minutes=9, milliseconds=7)
    assert newest.receive_time.ToDatetime(UTC) == newest.timestamp.ToDatetime(UTC)


def test_names_filters_and_window_narrow_the_list(stub, program) -> None:  # noqa: ANN001
    _, token, _ = program
    group = filter_pb2.FilterGroup()
    group.filters.add(path="i", operator=filter_pb2.FILTER_OPERATOR_LESS, values=[struct_pb2.Value(number_value=10)])
    window = window_pb2.Window(mode=window_pb2.WINDOW_MODE_RANGE)
    window.start_time.FromDatetime(T0 + dt.timedelta(minutes=1))
    window.end_time.FromDatetime(T0 + dt.timedelta(hours=1))
    got = _all_pages(stub, token, pb.QueryEventsRequest(event_names=["purchase"], filter_groups=[group],
                                                        window=window, page_size=2))
    assert [json_format.MessageToDict(e.properties)["i"] for e in got] == [9, 7, 5, 3]


def test_a_relative_window_is_measured_from_as_of(stub, program) -> None:  # noqa: ANN001
    _, token, _ = program
    request = pb.QueryEventsRequest(window=window_pb2.Window(period=window_pb2.PERIOD_DAY,
                                                             mode=window_pb2.WINDOW_MODE_CURRENT_TO_DATE))
    request.as_of_time.FromDatetime(T0 + dt.timedelta(minutes=2))
    assert len(stub.QueryEvents(request, metadata=bearer(token)).events) == 6  # 08:00 and 08:01, not 08:02.007
    request.as_of_time.FromDatetime(T0 + dt.timedelta(days=1))
    assert not stub.QueryEvents(request, metadata=bearer(token)).events


@pytest.mark.parametrize("request_, field", [
    (pb.QueryEventsRequest(page_token="garbage!"), "page_token"),
    (pb.QueryEventsRequest(page_token="eyJ0IjoieCJ9"), "page_token"),
    (pb.QueryEventsRequest(page_size=-1), "page_size"),
    (pb.QueryEventsRequest(event_names=[""]), "event_names[0]"),
    (pb.QueryEventsRequest(time_zone="Nowhere/Land", window=window_pb2.Window(period=1, mode=1)), "time_zone"),
])
def test_bad_requests_name_the_field(stub, program, request_, field) -> None:  # noqa: ANN001
    from tests.metrics.test_definitions import error_info

    with pytest.raises(grpc.RpcError) as err:
        stub.QueryEvents(request_, metadata=bearer(program[1]))
    assert err.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert error_info(err.value).metadata["field"] == field


def test_a_payload_no_struct_can_carry_comes_back_as_its_json_text(stub, engine, pool) -> None:  # noqa: ANN001
    """Nested deeper than a Struct decodes (the rail takes JSON text up to 254 levels), or an integer
    a double cannot hold: that event carries `properties_json`, and the page around it still reads."""
    tenant_id, token = factories.tenant(engine, "Deep payloads")
    partner = factories.partner(engine, tenant_id, "P")
    customer = factories.customer(engine, tenant_id, partner)
    deep: object = 1
    for _ in range(60):
        deep = {"a": deep}
    payloads = {"deep": '{"a":' + json.dumps(deep, separators=(",", ":")) + "}",
                "big": '{"n":9007199254740993}', "plain": '{"plan":{"tier":"pro"}}'}
    insert_events(pool, [event(tenant_id, partner, customer, "usage", T0 + dt.timedelta(minutes=i), text, event_id=key)
                         for i, (key, text) in enumerate(payloads.items())])
    got = {e.event_id: e for e in stub.QueryEvents(pb.QueryEventsRequest(page_size=10), metadata=bearer(token)).events}
    assert got["deep"].WhichOneof("payload") == "properties_json" and got["deep"].properties_json == payloads["deep"]
    assert got["big"].properties_json == payloads["big"]
    assert got["plain"].WhichOneof("payload") == "properties"
    assert json_format.MessageToDict(got["plain"].properties) == {"plan": {"tier": "pro"}}


def test_as_of_a_time_the_list_holds_nothing_after_it(stub, program) -> None:  # noqa: ANN001
    _, token, rows = program
    as_of = T0 + dt.timedelta(minutes=4)  # events come three to a minute, at 7 ms past
    request = pb.QueryEventsRequest(page_size=100)
    request.as_of_time.FromDatetime(as_of)
    got = stub.QueryEvents(request, metadata=bearer(token)).events
    assert sorted(e.event_id for e in got) == sorted(r["event_id"] for r in rows if r["ts"] < as_of)
    assert len(got) == 12
