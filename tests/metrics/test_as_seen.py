"""`as_seen` with `as_of_time`: the answer exactly as it was given at that instant. Events received
later (backfilled with earlier timestamps) are left out, and the definition in force then is used."""
from __future__ import annotations

import datetime as dt

import grpc
import pytest
from partneros.common.v1 import level_pb2
from partneros.metrics.v1 import metrics_pb2 as pb
from sqlalchemy import update
from sqlalchemy.orm import Session

from services.metrics.models import MetricVersionRow
from tests import factories
from tests.conftest import bearer
from tests.metrics.conftest import event, insert_events
from tests.metrics.test_definitions import error_info

UTC = dt.timezone.utc
AS_OF = dt.datetime(2025, 3, 20, 12, tzinfo=UTC)
LATE = "late-refund"


def _at(when: dt.datetime):  # noqa: ANN202 - a Timestamp
    from google.protobuf import timestamp_pb2

    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(when)
    return stamp


@pytest.fixture(scope="module")
def program(engine, pool, stub):  # noqa: ANN001, ANN201
    """Purchases of 10, 20 and 40 in March 2025, the 40 sent on 25 March (after AS_OF) for the 6th.
    Revenue was a sum of amount from 1 January 2025 (version 1) and a count from 22 March (version 2)."""
    tenant_id, token = factories.tenant(engine, "As seen")
    partner = factories.partner(engine, tenant_id, "P")
    customer = factories.customer(engine, tenant_id, partner)
    rows = [event(tenant_id, partner, customer, "purchase", dt.datetime(2025, 3, d, 9, tzinfo=UTC), {"amount": a})
            for d, a in ((3, 10), (5, 20))]
    late = event(tenant_id, partner, customer, "purchase", dt.datetime(2025, 3, 6, 9, tzinfo=UTC), {"amount": 40},
                 event_id=LATE)
    late["received_at"] = dt.datetime(2025, 3, 25, 8, tzinfo=UTC)
    insert_events(pool, [*rows, late])
    auth = bearer(token)
    metric = stub.CreateMetric(pb.CreateMetricRequest(metric=pb.Metric(
        name="Revenue", aggregation="sum", field="amount", event_names=["purchase"])), metadata=auth)
    stub.UpdateMetric(pb.UpdateMetricRequest(metric=pb.Metric(
        id=metric.id, name="Revenue", aggregation="count", event_names=["purchase"])), metadata=auth)
    with Session(engine) as session, session.begin():
        for version, since in ((1, dt.datetime(2025, 1, 1, tzinfo=UTC)), (2, dt.datetime(2025, 3, 22, tzinfo=UTC))):
            session.execute(update(MetricVersionRow).where(MetricVersionRow.metric_id == metric.id,
                                                           MetricVersionRow.version == version)
                            .values(create_time=since))
    return auth, metric.id


def _query(stub, auth, metric_id: str, at: dt.datetime | None, as_seen: bool) -> pb.QueryMetricResponse:  # noqa: ANN001
    request = pb.QueryMetricRequest(metric_id=metric_id, as_seen=as_seen)
    if at is not None:
        request.as_of_time.CopyFrom(_at(at))
    return stub.QueryMetric(request, metadata=auth)


def test_as_seen_leaves_out_later_arrivals_and_uses_the_definition_of_then(stub, program) -> None:  # noqa: ANN001
    auth, metric_id = program
    # Read today, as of 20 March: the window of then, but the events and definition of now.
    now = _query(stub, auth, metric_id, AS_OF, as_seen=False)
    assert (now.value, now.metric_version) == (3.0, 2)
    # As seen on 20 March: the sum it was then, without the purchase sent on the 25th.
    then = _query(stub, auth, metric_id, AS_OF, as_seen=True)
    assert (then.value, then.metric_version) == (30.0, 1)
    assert then.start_time.ToDatetime(UTC) == now.start_time.ToDatetime(UTC)
    # As seen on 23 March: the count was in force, the late purchase still on its way.
    later = _query(stub, auth, metric_id, dt.datetime(2025, 3, 23, tzinfo=UTC), as_seen=True)
    assert (later.value, later.metric_version) == (2.0, 2)
    # And from the 25th on, it is in.
    assert _query(stub, auth, metric_id, dt.datetime(2025, 3, 26, tzinfo=UTC), as_seen=True).value == 3.0


def test_the_event_list_as_seen_holds_only_what_had_arrived(stub, program) -> None:  # noqa: ANN001
    auth, _ = program
    request = pb.QueryEventsRequest(event_names=["purchase"], as_of_time=_at(AS_OF))
    assert LATE in [e.event_id for e in stub.QueryEvents(request, metadata=auth).events]
    request.as_seen = True
    listed = [e.event_id for e in stub.QueryEvents(request, metadata=auth).events]
    assert len(listed) == 2 and LATE not in listed


def test_as_seen_before_the_metric_existed_or_without_an_instant_is_refused(stub, program) -> None:  # noqa: ANN001
    auth, metric_id = program
    with pytest.raises(grpc.RpcError) as err:
        _query(stub, auth, metric_id, dt.datetime(2024, 12, 1, tzinfo=UTC), as_seen=True)
    assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert error_info(err.value).reason == "METRIC_NOT_YET_DEFINED"
    for call in (lambda: _query(stub, auth, metric_id, None, as_seen=True),
                 lambda: stub.QueryEvents(pb.QueryEventsRequest(as_seen=True), metadata=auth),
                 # named before any level is looked at, as QueryMetric does
                 lambda: stub.QueryEvents(pb.QueryEventsRequest(as_seen=True, level=level_pb2.Level(
                     kind=level_pb2.LEVEL_KIND_PARTNER, id="ptn_nowhere")), metadata=auth)):
        with pytest.raises(grpc.RpcError) as err:
            call()
        assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert error_info(err.value).metadata["field"] == "as_seen"
    with pytest.raises(grpc.RpcError) as err:  # the instant is checked before the definition is looked up
        _query(stub, auth, metric_id, dt.datetime(1, 1, 15, tzinfo=UTC), as_seen=True)
    assert error_info(err.value).metadata["field"] == "as_of_time"


def test_the_definition_in_force_is_found_for_an_instant_in_any_offset(engine, program) -> None:  # noqa: ANN001
    """01:00 at UTC+2 on 1 January is 23:00 UTC the day before: version 1 (from midnight UTC) was not
    in force yet, whatever text the store compares."""
    from libs.errors import FailedPrecondition
    from services.metrics import store

    auth, metric_id = program
    tenant_id = store_tenant(engine, metric_id)
    plus_two = dt.timezone(dt.timedelta(hours=2))
    with pytest.raises(FailedPrecondition):
        store.definition_at(engine, tenant_id, metric_id, dt.datetime(2025, 1, 1, 1, tzinfo=plus_two))
    assert store.definition_at(engine, tenant_id, metric_id, dt.datetime(2025, 1, 1, 3, tzinfo=plus_two))[1] == 1


def store_tenant(engine, metric_id: str) -> str:  # noqa: ANN001
    from sqlalchemy import select

    from services.metrics.models import MetricRow

    with Session(engine) as session:
        return session.scalar(select(MetricRow.tenant_id).where(MetricRow.id == metric_id))
