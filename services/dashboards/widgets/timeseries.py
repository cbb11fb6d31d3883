"""`timeseries` widget: a metric over the window, one bucket per grain step (empty buckets 0)."""
from __future__ import annotations

from typing import Any

from partneros.common.v1 import window_pb2
from partneros.dashboards.v1 import dashboards_pb2 as pb
from partneros.metrics.v1 import metrics_pb2

from libs.errors import InvalidArgument
from services.dashboards.widgets.base import RenderCall, refuse_fields, where
from services.dashboards.widgets.values import iso, require_metric

__all__ = ["WIDGET", "TimeseriesWidget", "DEFAULT_GRAIN"]

DEFAULT_GRAIN = window_pb2.GRAIN_DAY


class TimeseriesWidget:
    name = "timeseries"

    def validate(self, widget: pb.Widget, index: int) -> None:
        require_metric(widget, index, where(widget, index))
        refuse_fields(widget, index, event_names=bool(widget.event_names), columns=bool(widget.columns),
                      limit=bool(widget.limit))
        if widget.chart_style not in pb.ChartStyle.values():
            raise InvalidArgument(f"{where(widget, index)}: chart_style {widget.chart_style} is not a chart style",
                                  reason="WIDGET_CHART_STYLE_INVALID", field=f"dashboard.widgets[{index}].chart_style",
                                  widget_id=widget.id)

    def render(self, call: RenderCall) -> dict[str, Any]:
        grain = call.widget.grain or DEFAULT_GRAIN
        request = metrics_pb2.QueryMetricRequest(metric_id=call.widget.metric_id, level=call.level,
                                                 time_zone=call.time_zone, grain=grain,
                                                 filters=call.widget.filters)
        if call.window is not None:
            request.window.CopyFrom(call.window)
        r = call.metrics.QueryMetric(request, metadata=call.metadata, timeout=call.timeout)
        return {
            "grain": window_pb2.Grain.Name(grain),
            "value": r.value,
            "buckets": [{"start_time": iso(b.start_time), "value": b.value} for b in r.buckets],
            "start_time": iso(r.start_time),
            "end_time": iso(r.end_time),
            "skipped_count": r.skipped_count,
            "metric_version": r.metric_version,
        }


WIDGET = TimeseriesWidget()
