"""Widget types: each a plugin in the entry-point group partneros.widgets."""
from services.dashboards.widgets.base import RenderCall, WidgetType, widget_types

__all__ = ["RenderCall", "WidgetType", "widget_types"]
