"""`metric` widget: one number over the window, with the previous period and the change."""
from __future__ import annotations

from typing import Any

from partneros.dashboards.v1 import dashboards_pb2 as pb
from partneros.metrics.v1 import metrics_pb2

from services.dashboards.widgets.base import RenderCall, refuse_fields, where
from services.dashboards.widgets.values import iso, require_metric

__all__ = ["WIDGET", "MetricWidget"]


class MetricWidget:
    name = "metric"

    def validate(self, widget: pb.Widget, index: int) -> None:
        require_metric(widget, index, where(widget, index))
        refuse_fields(widget, index, grain=bool(widget.grain), event_names=bool(widget.event_names),
                      columns=bool(widget.columns), limit=bool(widget.limit), chart_style=bool(widget.chart_style))

    def render(self, call: RenderCall) -> dict[str, Any]:
        request = metrics_pb2.QueryMetricRequest(metric_id=call.widget.metric_id, level=call.level,
                                                 time_zone=call.time_zone, compare_previous=True,
                                                 filters=call.widget.filters)
        if call.window is not None:
            request.window.CopyFrom(call.window)
        r = call.metrics.QueryMetric(request, metadata=call.metadata, timeout=call.timeout)
        return {
            "value": r.value,
            "previous_value": r.previous_value,
            "change": r.change.value if r.HasField("change") else None,
            "start_time": iso(r.start_time),
            "end_time": iso(r.end_time),
            "previous_start_time": iso(r.previous_start_time),
            "previous_end_time": iso(r.previous_end_time),
            "skipped_count": r.skipped_count,
            "metric_version": r.metric_version,
        }


WIDGET = MetricWidget()
