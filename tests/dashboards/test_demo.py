"""The demo dashboard: every widget type, shared with partners, rendering without errors."""
from __future__ import annotations

import grpc
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
    assert d.shared_with_partners and list(d.widgets[-1].columns) == ["amount"]


def test_demo_seed_creates_a_shared_dashboard_that_renders(host) -> None:  # noqa: ANN001
    from libs.demo import ensure_demo

    token = ensure_demo(host)  # seeds every service's demo, ours last
    with grpc.insecure_channel(host.address) as channel:
        stub = dashboards_pb2_grpc.DashboardsServiceStub(channel)
        listed = stub.ListDashboards(pb.ListDashboardsRequest(query="Program overview"), metadata=bearer(token))
        assert len(listed.dashboards) == 1
        d = listed.dashboards[0]
        assert d.shared_with_partners and {w.type for w in d.widgets} == {"metric", "timeseries", "event_list"}
        r = stub.RenderDashboard(pb.RenderDashboardRequest(dashboard_id=d.id), metadata=bearer(token))
        assert [(w.widget_id, w.error_code, w.error_message) for w in r.widgets if w.error_code] == []
