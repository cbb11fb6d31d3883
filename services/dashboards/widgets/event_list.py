"""`event_list` widget: the newest events at the level, with chosen payload columns."""
from __future__ import annotations

import json
from typing import Any

from partneros.common.v1 import filter_pb2
from partneros.dashboards.v1 import dashboards_pb2 as pb
from partneros.metrics.v1 import metrics_pb2

from libs.errors import InvalidArgument
from libs.payload import fits_struct, payload_value
from services.dashboards.widgets.base import RenderCall, refuse_fields, where
from services.dashboards.widgets.values import iso, lookup_path

__all__ = ["WIDGET", "EventListWidget", "DEFAULT_LIMIT", "MAX_LIMIT", "MAX_COLUMNS"]

DEFAULT_LIMIT, MAX_LIMIT, MAX_COLUMNS = 20, 200, 20
# Levels of objects and arrays a column's value keeps as JSON in the render (which nests it ~8 deep).
COLUMN_LEVELS = 16


class EventListWidget:
    name = "event_list"

    def validate(self, widget: pb.Widget, index: int) -> None:
        label = where(widget, index)
        refuse_fields(widget, index, metric_id=bool(widget.metric_id), grain=bool(widget.grain),
                      chart_style=bool(widget.chart_style))
        if not 0 <= widget.limit <= MAX_LIMIT:
            raise InvalidArgument(f"{label}: limit must be between 1 and {MAX_LIMIT}", reason="WIDGET_LIMIT_INVALID",
                                  field=f"dashboard.widgets[{index}].limit", widget_id=widget.id)
        if len(widget.columns) > MAX_COLUMNS:
            raise InvalidArgument(f"{label}: at most {MAX_COLUMNS} columns", reason="WIDGET_COLUMNS_INVALID",
                                  field=f"dashboard.widgets[{index}].columns", widget_id=widget.id)
        for i, column in enumerate(widget.columns):
            if not column.strip() or any(not part for part in column.split(".")):
                raise InvalidArgument(f"{label}: column {column!r} is not a payload path like 'plan.tier'",
                                      reason="WIDGET_COLUMNS_INVALID", field=f"dashboard.widgets[{index}].columns[{i}]",
                                      widget_id=widget.id)
        for i, name in enumerate(widget.event_names):
            if not name:
                raise InvalidArgument(f"{label}: event names must not be empty", reason="WIDGET_EVENT_NAME_INVALID",
                                      field=f"dashboard.widgets[{index}].event_names[{i}]", widget_id=widget.id)

    def render(self, call: RenderCall) -> dict[str, Any]:
        w = call.widget
        request = metrics_pb2.QueryEventsRequest(level=call.level, event_names=w.event_names,
                                                 page_size=w.limit or DEFAULT_LIMIT, time_zone=call.time_zone)
        if w.filters:
            request.filter_groups.append(filter_pb2.FilterGroup(filters=w.filters))
        if call.window is not None:
            request.window.CopyFrom(call.window)
        r = call.metrics.QueryEvents(request, metadata=call.metadata, timeout=call.timeout)
        rows = []
        for e in r.events:
            payload = payload_value(e)
            rows.append({
                "event_id": e.event_id, "name": e.name, "customer_id": e.customer_id,
                "customer_name": e.customer_name, "partner_id": e.partner_id,
                "timestamp": iso(e.timestamp), "source": e.source,
                "values": {c: _shown(lookup_path(payload, c)) for c in w.columns},
            })
        return {"columns": list(w.columns), "events": rows, "has_more": bool(r.next_page_token)}


def _shown(value: Any) -> Any:
    """A column's value as the widget's data (a Struct) carries it exactly, else as its JSON text:
    an object nested deeper than COLUMN_LEVELS, or an integer a double cannot hold."""
    return value if fits_struct(value, COLUMN_LEVELS) else json.dumps(value, ensure_ascii=False)


WIDGET = EventListWidget()
