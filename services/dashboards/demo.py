"""Demo content: a "Program overview" dashboard using every widget type, shared with partners.

Runs after the metrics demo and uses the metrics it created (`state["metrics"]`: a mapping of
names to ids, or a list of ids); writes the dashboard id to `state["dashboard_id"]`.
"""
from __future__ import annotations

import logging
from typing import Any

from partneros.common.v1 import level_pb2, window_pb2
from partneros.dashboards.v1 import dashboards_pb2 as pb
from partneros.dashboards.v1 import dashboards_pb2_grpc
from partneros.metrics.v1 import metrics_pb2, metrics_pb2_grpc

__all__ = ["seed", "build_dashboard"]

log = logging.getLogger(__name__)


def _metric_ids(state: dict[str, Any]) -> list[str]:
    metrics = state.get("metrics") or {}
    ids = list(metrics.values()) if isinstance(metrics, dict) else list(metrics)
    return [i if isinstance(i, str) else getattr(i, "id", "") for i in ids if i]


def build_dashboard(metrics: list[metrics_pb2.Metric]) -> pb.Dashboard:
    """The demo layout: up to three numbers, the weekly trend of the first two metrics over 90 days, the latest events."""
    window = window_pb2.Window(period=window_pb2.PERIOD_DAY, mode=window_pb2.WINDOW_MODE_TRAILING, count=90)
    d = pb.Dashboard(name="Program overview", shared_with_partners=True, default_window=window,
                     description="Headline numbers, the daily trend and the latest events of the program.",
                     default_level=level_pb2.Level(kind=level_pb2.LEVEL_KIND_ALL_PARTNERS))
    for i, m in enumerate(metrics[:3]):
        d.widgets.add(id=f"kpi{i + 1}", type="metric", title=m.name, metric_id=m.id,
                      position=pb.GridPosition(x=4 * i, y=0, w=4, h=2))
    trends = metrics[:2]
    for i, m in enumerate(trends):
        width = 12 // len(trends)
        d.widgets.add(id=f"trend{i + 1}", type="timeseries", title=f"{m.name} per week", metric_id=m.id,
                      grain=window_pb2.GRAIN_WEEK, position=pb.GridPosition(x=width * i, y=2, w=width, h=4))
    columns = list(dict.fromkeys(["plan.tier", *(m.field for m in metrics if m.field)]))[:4]  # tier: every event
    d.widgets.add(id="latest", type="event_list", title="Latest events", columns=columns, limit=20,
                  position=pb.GridPosition(x=0, y=6, w=12, h=4))
    return d


def seed(channel, metadata, state: dict[str, Any]) -> None:  # noqa: ANN001
    """Create the demo dashboard through the public API."""
    metrics_stub = metrics_pb2_grpc.MetricsServiceStub(channel)
    ids = _metric_ids(state)
    if ids:
        metrics = [metrics_stub.GetMetric(metrics_pb2.GetMetricRequest(metric_id=i), metadata=metadata) for i in ids]
    else:
        metrics = list(metrics_stub.ListMetrics(metrics_pb2.ListMetricsRequest(), metadata=metadata).metrics)
    stub = dashboards_pb2_grpc.DashboardsServiceStub(channel)
    created = stub.CreateDashboard(pb.CreateDashboardRequest(dashboard=build_dashboard(metrics)), metadata=metadata)
    state["dashboard_id"] = created.id
    log.info("demo dashboard %s with %d widgets", created.id, len(created.widgets))
