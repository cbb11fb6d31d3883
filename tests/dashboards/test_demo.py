"""The demo dashboard: every widget type, shared with partners, rendering without errors."""
from __future__ import annotations

from partneros.dashboards.v1 import dashboards_pb2 as pb
from partneros.dashboards.v1 import dashboards_pb2_grpc
from partneros.metrics.v1 import metrics_pb2

from services.dashboards.demo import build_dashboard
from services.dashboards.validate import validate_dashboard
from tests.conftest import bearer


def test_demo_layout_is_valid_and_uses_every_widget_type() -> None:
    metrics = [metrics_pb2.Metric(id=f"met_{a}", name=a.title(), aggregation=a, field="amount" if a == "sum" else "")
               for a in ("count", "sum", "unique", "count")]
    d = build_dashboard(metrics)
    validate_dashboard(d)
    assert {w.type for w in d.widgets} == {"metric", "timeseries", "event_list"}
    assert [w.metric_id for w in d.widgets if w.type == "metric"] == ["met_count", "met_sum", "met_unique"]
    assert d.shared_with_partners and list(d.widgets[-1].columns) == ["plan.tier", "amount"]  # tier: every event has one


def test_demo_seed_creates_a_shared_dashboard_from_the_demo_metrics(channel, tenant) -> None:  # noqa: ANN001
    from services.dashboards import demo
    from services.metrics import demo as metrics_demo

    md = bearer(tenant.token)
    state: dict = {}
    metrics_demo.seed(channel, md, state)  # runs right before ours in the demo seed order
    demo.seed(channel, md, state)
    stub = dashboards_pb2_grpc.DashboardsServiceStub(channel)
    d = stub.GetDashboard(pb.GetDashboardRequest(dashboard_id=state["dashboard_id"]), metadata=md)
    assert d.shared_with_partners and {w.type for w in d.widgets} == {"metric", "timeseries", "event_list"}
    assert {w.metric_id for w in d.widgets if w.metric_id} <= set(state["metrics"].values())
    r = stub.RenderDashboard(pb.RenderDashboardRequest(dashboard_id=d.id), metadata=md)
    assert [(w.widget_id, w.error_code, w.error_message) for w in r.widgets if w.error_code] == []
