"""What a widget plugin provides: validation of its own fields and rendering through metrics.

A new widget type is one module exposing `WIDGET` plus an entry point in partneros.widgets.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from partneros.common.v1 import level_pb2, window_pb2
from partneros.dashboards.v1 import dashboards_pb2 as pb

from libs.errors import InvalidArgument
from libs.plugins import WIDGETS, load_plugins

__all__ = ["RenderCall", "WidgetType", "widget_types", "refuse_fields", "where"]


@dataclass(frozen=True, kw_only=True)
class RenderCall:
    """Everything a widget needs to compute itself at the dashboard's effective level."""

    widget: pb.Widget
    level: level_pb2.Level
    window: window_pb2.Window | None  # None: the metrics service's default
    time_zone: str
    metadata: tuple[tuple[str, str], ...]  # the caller's credentials, re-checked by metrics
    timeout: float  # seconds this widget's query may take
    metrics: Any  # partneros.metrics.v1 MetricsServiceStub


class WidgetType(Protocol):
    """A widget plugin."""

    name: str

    def validate(self, widget: pb.Widget, index: int) -> None:
        """Refuse (InvalidArgument naming the widget) fields this type needs and lacks, or cannot use."""

    def render(self, call: RenderCall) -> dict[str, Any]:
        """The widget's data as JSON-able values; gRPC errors propagate to the renderer."""


def widget_types() -> dict[str, WidgetType]:
    """Installed widget types by name."""
    return load_plugins(WIDGETS)


def where(widget: pb.Widget, index: int) -> str:
    """How error messages name a widget: its id and title."""
    label = f"widget {widget.id!r}" if widget.id else f"widget #{index + 1}"
    return f"{label} ({widget.title!r})" if widget.title else label


def refuse_fields(widget: pb.Widget, index: int, **present: bool) -> None:
    """Refuse the first field in `present` that is set although this widget type does not use it."""
    for field, is_set in present.items():
        if is_set:
            raise InvalidArgument(f"{where(widget, index)}: {field} does not apply to {widget.type} widgets",
                                  reason="WIDGET_FIELD_NOT_APPLICABLE", field=f"dashboard.widgets[{index}].{field}",
                                  widget_id=widget.id)
