"""Hour buckets in a zone whose daylight saving moves the clock by 30 minutes (Lord Howe Island,
UTC+10:30 in winter, +11:00 in summer). An hour bucket is a whole hour elapsed since the local
midnight (as ClickHouse draws them), so after the change the buckets start at half past on the
local clock. Every event is counted once, in the bucket whose [start, next start) holds it, on the
day the clock jumps forward and on the day it falls back; none is lost between the planned buckets
and the ones the engine computes.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from partneros.common.v1 import window_pb2
from partneros.metrics.v1 import metrics_pb2 as pb

from tests import factories
from tests.conftest import bearer
from tests.metrics.conftest import event, insert_events

UTC = dt.timezone.utc
ZONE = "Australia/Lord_Howe"
# Local days of the 2025 changes: 5 October 02:00 -> 02:30, 6 April 02:00 -> 01:30.
DAYS = [dt.date(2025, 10, 5), dt.date(2025, 4, 6)]
STEP = dt.timedelta(minutes=10)


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(ZONE)).astimezone(UTC)


@pytest.fixture(scope="module")
def program(engine, pool, stub):  # noqa: ANN001, ANN201
    tenant_id, token = factories.tenant(engine, "Lord Howe", time_zone=ZONE)
    partner = factories.partner(engine, tenant_id, "P")
    customer = factories.customer(engine, tenant_id, partner)
    instants = []
    for day in DAYS:  # an event every 10 minutes of the local day, and one a millisecond before each
        start, end = _local_midnight(day), _local_midnight(day + dt.timedelta(days=1))
        t = start
        while t < end:
            instants += [t, t + STEP - dt.timedelta(milliseconds=1)]
            t += STEP
    insert_events(pool, [event(tenant_id, partner, customer, "tick", t, {}, event_id=f"tick-{i}")
                         for i, t in enumerate(instants)])
    metric = stub.CreateMetric(pb.CreateMetricRequest(metric=pb.Metric(name="Ticks", aggregation="count")),
                               metadata=bearer(token))
    return token, metric.id, instants


@pytest.mark.parametrize("day", DAYS, ids=["forward", "back"])
def test_every_event_lands_in_the_hour_bucket_that_holds_it(stub, program, day: dt.date) -> None:  # noqa: ANN001
    token, metric_id, instants = program
    start, end = _local_midnight(day), _local_midnight(day + dt.timedelta(days=1))
    window = window_pb2.Window(mode=window_pb2.WINDOW_MODE_RANGE)
    window.start_time.FromDatetime(start)
    window.end_time.FromDatetime(end)
    got = stub.QueryMetric(pb.QueryMetricRequest(metric_id=metric_id, window=window, grain=window_pb2.GRAIN_HOUR),
                           metadata=bearer(token))
    starts = [b.start_time.ToDatetime(UTC) for b in got.buckets]
    length = dt.timedelta(hours=23, minutes=30) if day.month == 10 else dt.timedelta(hours=24, minutes=30)
    assert end - start == length
    assert starts == [start + dt.timedelta(hours=k) for k in range(24 if day.month == 10 else 25)]
    bounds = starts + [end]
    in_day = [t for t in instants if start <= t < end]
    expected = [sum(1 for t in in_day if lo <= t < hi) for lo, hi in zip(bounds, bounds[1:])]
    assert [b.value for b in got.buckets] == expected
    assert got.value == len(in_day) == sum(expected)
