"""Rendering: every widget of a dashboard computed concurrently through the metrics service.

Each widget runs on a shared thread pool with its own deadline and the caller's credentials, so
the metrics service re-checks the scope for every query. A widget that fails (deleted metric,
deadline, bad filter) carries its own error; the others still render.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor

import grpc
from partneros.common.v1 import level_pb2, window_pb2
from partneros.dashboards.v1 import dashboards_pb2 as pb

from services.dashboards.widgets.base import RenderCall, WidgetType, widget_types

__all__ = ["Renderer", "widget_window", "DEFAULT_WIDGET_TIMEOUT"]

log = logging.getLogger(__name__)

DEFAULT_WIDGET_TIMEOUT = 10.0


def widget_window(widget: pb.Widget, requested: window_pb2.Window | None,
                  dashboard: pb.Dashboard) -> window_pb2.Window | None:
    """The widget's own window, else the one asked for the render, else the dashboard's default."""
    if widget.HasField("window"):
        return widget.window
    if requested is not None:
        return requested
    return dashboard.default_window if dashboard.HasField("default_window") else None


class Renderer:
    """Renders dashboards: each render runs its widgets on its own small pool, at most
    `concurrency` at once, so one large dashboard cannot flood the metrics service."""

    def __init__(self, metrics_stub: Callable[[], object], *, concurrency: int = 8,
                 widget_timeout: float = DEFAULT_WIDGET_TIMEOUT, types: Mapping[str, WidgetType] | None = None) -> None:
        self._stub = metrics_stub
        self._types = types
        self.concurrency = max(1, concurrency)
        self.widget_timeout = widget_timeout

    def render(self, dashboard: pb.Dashboard, *, level: level_pb2.Level, window: window_pb2.Window | None,
               time_zone: str, metadata: tuple[tuple[str, str], ...],
               time_remaining: float | None = None) -> list[pb.RenderedWidget]:
        """One RenderedWidget per widget, in the dashboard's order."""
        if not dashboard.widgets:
            return []
        deadline = time.monotonic() + time_remaining if time_remaining is not None else None
        stub, types = self._stub(), self._types or widget_types()

        def run(w: pb.Widget) -> pb.RenderedWidget:
            # the deadline is taken when the widget starts: a widget queued behind others keeps its full time
            return self._one(RenderCall(widget=w, level=level, window=widget_window(w, window, dashboard),
                                        time_zone=time_zone, metadata=metadata, timeout=self._timeout(w, deadline),
                                        metrics=stub), types)

        workers = min(self.concurrency, len(dashboard.widgets))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="widget") as pool:
            return list(pool.map(run, dashboard.widgets))

    def _timeout(self, widget: pb.Widget, deadline: float | None) -> float:
        timeout = self.widget_timeout
        if widget.HasField("timeout"):
            timeout = min(timeout, widget.timeout.ToNanoseconds() / 1e9)
        if deadline is not None:
            timeout = min(timeout, deadline - time.monotonic())
        return max(timeout, 0.0)

    @staticmethod
    def _one(call: RenderCall, types: Mapping[str, WidgetType]) -> pb.RenderedWidget:
        w = call.widget
        out = pb.RenderedWidget(widget_id=w.id, type=w.type)
        plugin = types.get(w.type)
        if plugin is None:
            out.error_code, out.error_message = "UNIMPLEMENTED", f"widget type {w.type!r} is not installed"
            return out
        if call.timeout <= 0:
            out.error_code, out.error_message = "DEADLINE_EXCEEDED", "no time left for this widget"
            return out
        try:
            out.data.update(plugin.render(call))
        except grpc.RpcError as err:
            out.error_code = err.code().name if err.code() else "UNKNOWN"
            out.error_message = _message(err, w)
        except Exception:  # a widget bug must not take the dashboard down
            log.exception("widget %s (%s) failed", w.id, w.type)
            out.error_code, out.error_message = "INTERNAL", "internal error while rendering this widget"
        return out


def _message(err: grpc.RpcError, widget: pb.Widget) -> str:
    code = err.code()
    if code is grpc.StatusCode.DEADLINE_EXCEEDED:
        return "the query took longer than this widget's deadline"
    if code is grpc.StatusCode.NOT_FOUND and widget.metric_id:
        return f"metric {widget.metric_id!r} not found (deleted?): {err.details()}"
    return err.details() or code.name
