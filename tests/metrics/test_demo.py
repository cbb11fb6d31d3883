"""The demo metrics: created through the API, ids handed on in state, fitting the demo events."""
from __future__ import annotations

import datetime as dt

from partneros.common.v1 import window_pb2
from partneros.metrics.v1 import metrics_pb2 as pb

from services.metrics import demo
from tests import factories
from tests.conftest import bearer
from tests.metrics.conftest import event, insert_events

UTC = dt.timezone.utc


def test_demo_metrics_are_seeded_once_and_answer_on_demo_shaped_events(stub, mchannel, engine, pool) -> None:  # noqa: ANN001
    tenant_id, token = factories.tenant(engine, "Demo")
    partner = factories.partner(engine, tenant_id, "P")
    customer = factories.customer(engine, tenant_id, partner)
    at = dt.datetime(2025, 1, 10, 9, tzinfo=UTC)
    insert_events(pool, [
        event(tenant_id, partner, customer, "activation", at, {"plan": {"tier": "pro"}, "seats": 3}),
        event(tenant_id, partner, customer, "usage", at, {"feature": "api", "plan": {"tier": "pro"}}),
        event(tenant_id, partner, customer, "purchase", at, {"amount": 87.0, "seats": 3, "plan": {"tier": "pro"}}),
        event(tenant_id, partner, customer, "purchase", at, {"amount": 790.0, "seats": 10,
                                                             "plan": {"tier": "enterprise"}}),
    ])
    state: dict = {}
    demo.seed(mchannel, bearer(token), state)
    assert list(state["metrics"]) == ["Activations", "Revenue", "Active customers", "Enterprise seats"]
    again: dict = {}
    demo.seed(mchannel, bearer(token), again)
    assert again == state
    window = window_pb2.Window(period=window_pb2.PERIOD_MONTH, mode=window_pb2.WINDOW_MODE_LAST_COMPLETE)
    values = {}
    for name, metric_id in state["metrics"].items():
        request = pb.QueryMetricRequest(metric_id=metric_id, window=window)
        request.as_of_time.FromDatetime(dt.datetime(2025, 2, 2, tzinfo=UTC))
        values[name] = stub.QueryMetric(request, metadata=bearer(token)).value
    assert values == {"Activations": 1.0, "Revenue": 877.0, "Active customers": 1.0, "Enterprise seats": 10.0}
