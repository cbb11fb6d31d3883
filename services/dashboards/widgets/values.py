"""Small conversions shared by the widget plugins."""
from __future__ import annotations

from typing import Any

from google.protobuf import timestamp_pb2

from libs.errors import InvalidArgument

__all__ = ["iso", "require_metric", "lookup_path"]


def iso(ts: timestamp_pb2.Timestamp) -> str | None:
    """RFC 3339 text of a timestamp, None when unset."""
    return ts.ToJsonString() if ts.seconds or ts.nanos else None


def require_metric(widget: Any, index: int, label: str) -> None:
    if not widget.metric_id:
        raise InvalidArgument(f"{label}: a {widget.type} widget needs a metric_id", reason="WIDGET_METRIC_REQUIRED",
                              field=f"dashboard.widgets[{index}].metric_id", widget_id=widget.id)


def lookup_path(payload: Any, path: str) -> Any:
    """The value at dotted `path` in a JSON payload (a literal key with dots wins), else None."""
    if isinstance(payload, dict) and path in payload:
        return payload[path]
    current = payload
    for part in path.split("."):
        if not isinstance(current, dict) or part not in current:
            return None
        current = current[part]
    return current
