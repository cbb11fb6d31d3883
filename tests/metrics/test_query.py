"""QueryMetric's contract beyond the numbers: defaults, zero buckets, comparison, extra filters,
the version used, and errors that name the field."""
from __future__ import annotations

import datetime as dt

import grpc
import pytest
from google.protobuf import struct_pb2
from partneros.common.v1 import filter_pb2, window_pb2
from partneros.metrics.v1 import metrics_pb2 as pb

from tests import factories
from tests.conftest import bearer
from tests.metrics.conftest import event, insert_events
from tests.metrics.test_definitions import error_info

UTC = dt.timezone.utc
AS_OF = dt.datetime(2025, 3, 20, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def program(engine, pool, stub):  # noqa: ANN001, ANN201
    tenant_id, token = factories.tenant(engine, "Query", time_zone="Europe/Berlin")
    partner = factories.partner(engine, tenant_id, "P")
    customer = factories.customer(engine, tenant_id, partner)
    rows = [event(tenant_id, partner, customer, "purchase", dt.datetime(2025, 3, d, 9, tzinfo=UTC),
                  {"amount": 10 * d, "tier": "pro" if d % 2 else "free"}) for d in (3, 5, 6, 17)]
    rows += [event(tenant_id, partner, customer, "purchase", dt.datetime(2025, 2, 4, 9, tzinfo=UTC),
                   {"amount": "n/a"})]
    insert_events(pool, rows)
    metric = stub.CreateMetric(pb.CreateMetricRequest(metric=pb.Metric(
        name="Revenue", aggregation="sum", field="amount", event_names=["purchase"])), metadata=bearer(token))
    return token, metric


def query(stub, token: str, **kw) -> pb.QueryMetricResponse:  # noqa: ANN001
    request = pb.QueryMetricRequest(**kw)
    if "as_of_time" not in kw:
        request.as_of_time.FromDatetime(AS_OF)
    return stub.QueryMetric(request, metadata=bearer(token))


def test_the_default_window_is_the_month_to_date_in_the_tenant_zone(stub, program) -> None:  # noqa: ANN001
    token, metric = program
    got = query(stub, token, metric_id=metric.id)
    assert got.start_time.ToDatetime(UTC) == dt.datetime(2025, 2, 28, 23, tzinfo=UTC)
    assert got.end_time.ToDatetime(UTC) == AS_OF
    assert got.value == 310.0 and got.time_zone == "Europe/Berlin" and got.metric_version == 1


def test_every_bucket_is_present_empty_ones_zero(stub, program) -> None:  # noqa: ANN001
    token, metric = program
    got = query(stub, token, metric_id=metric.id, grain=window_pb2.GRAIN_DAY)
    assert len(got.buckets) == 20
    by_day = {b.start_time.ToDatetime(UTC).date() + dt.timedelta(days=1): b.value for b in got.buckets}
    assert by_day[dt.date(2025, 3, 3)] == 30.0 and by_day[dt.date(2025, 3, 4)] == 0.0
    assert sum(by_day.values()) == got.value


def test_compare_previous_gives_the_change_and_skips(stub, program) -> None:  # noqa: ANN001
    token, metric = program
    got = query(stub, token, metric_id=metric.id, compare_previous=True)
    assert got.previous_value == 0.0 and not got.HasField("change")  # February held only a non-number
    last = window_pb2.Window(period=window_pb2.PERIOD_WEEK, mode=window_pb2.WINDOW_MODE_LAST_COMPLETE)
    got = query(stub, token, metric_id=metric.id, window=last, compare_previous=True)
    assert (got.value, got.previous_value) == (0.0, 140.0)  # week of Mar 10 vs week of Mar 3
    assert got.change.value == -1.0
    days = window_pb2.Window(mode=window_pb2.WINDOW_MODE_RANGE)
    days.start_time.FromDatetime(dt.datetime(2025, 3, 5, tzinfo=UTC))
    days.end_time.FromDatetime(dt.datetime(2025, 3, 7, tzinfo=UTC))
    got = query(stub, token, metric_id=metric.id, window=days, compare_previous=True)
    assert (got.value, got.previous_value) == (110.0, 30.0)  # Mar 5-6 vs Mar 3-4
    assert got.change.value == pytest.approx(80 / 30)
    feb = window_pb2.Window(period=window_pb2.PERIOD_MONTH, mode=window_pb2.WINDOW_MODE_LAST_COMPLETE)
    assert query(stub, token, metric_id=metric.id, window=feb).skipped_count == 1


def test_extra_filters_and_the_zone_override_apply(stub, program) -> None:  # noqa: ANN001
    token, metric = program
    pro = filter_pb2.PropertyFilter(path="tier", operator=filter_pb2.FILTER_OPERATOR_EQUALS,
                                    values=[struct_pb2.Value(string_value="pro")])
    assert query(stub, token, metric_id=metric.id, filters=[pro]).value == 250.0
    tokyo = query(stub, token, metric_id=metric.id, time_zone="Asia/Tokyo")
    assert tokyo.time_zone == "Asia/Tokyo" and tokyo.start_time.ToDatetime(UTC) == dt.datetime(2025, 2, 28, 15,
                                                                                                 tzinfo=UTC)


def test_the_answer_names_the_definition_version_used(stub, program) -> None:  # noqa: ANN001
    token, _ = program
    m = stub.CreateMetric(pb.CreateMetricRequest(metric=pb.Metric(name="Versioned", aggregation="count")),
                          metadata=bearer(token))
    stub.UpdateMetric(pb.UpdateMetricRequest(metric=pb.Metric(id=m.id, name="Versioned", aggregation="count",
                                                              event_names=["purchase"])), metadata=bearer(token))
    got = query(stub, token, metric_id=m.id)
    assert (got.metric_version, got.value) == (2, 4.0)


def _stamp(at: dt.datetime):  # noqa: ANN202 - a Timestamp
    from google.protobuf import timestamp_pb2

    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(at)
    return stamp


@pytest.mark.parametrize("kw, field", [
    (dict(window=window_pb2.Window(period=1, mode=window_pb2.WINDOW_MODE_TRAILING)), "window.count"),
    (dict(window=window_pb2.Window(mode=window_pb2.WINDOW_MODE_LAST_COMPLETE)), "window.period"),
    (dict(window=window_pb2.Window(mode=window_pb2.WINDOW_MODE_RANGE)), "window.start_time"),
    (dict(grain=window_pb2.GRAIN_HOUR, window=window_pb2.Window(period=4, mode=3, count=5)), "grain"),
    (dict(time_zone="Europe/Atlantis"), "time_zone"),
    (dict(time_zone="right/UTC"), "time_zone"),  # in the host's zone files, unknown to ClickHouse
    (dict(time_zone="localtime"), "time_zone"),  # whatever the host is set to
    (dict(as_of_time=_stamp(dt.datetime(1, 1, 15, tzinfo=UTC)),
          window=window_pb2.Window(period=3, mode=window_pb2.WINDOW_MODE_LAST_COMPLETE)), "as_of_time"),
    (dict(window=window_pb2.Window(period=4, mode=window_pb2.WINDOW_MODE_TRAILING, count=1000)), "window"),
    (dict(breakdown_limit=-1, breakdown_by_partner=True), "breakdown_limit"),
    (dict(filters=[filter_pb2.PropertyFilter(path="a..b", operator=filter_pb2.FILTER_OPERATOR_EXISTS)]),
     "filters[0].path"),
])
def test_bad_queries_name_the_field(stub, program, kw, field) -> None:  # noqa: ANN001
    token, metric = program
    with pytest.raises(grpc.RpcError) as err:
        query(stub, token, metric_id=metric.id, **kw)
    assert err.value.code() is grpc.StatusCode.INVALID_ARGUMENT
    assert error_info(err.value).metadata["field"] == field


def test_an_unknown_metric_is_not_found(stub, program) -> None:  # noqa: ANN001
    with pytest.raises(grpc.RpcError) as err:
        query(stub, program[0], metric_id="met_missing")
    assert err.value.code() is grpc.StatusCode.NOT_FOUND
