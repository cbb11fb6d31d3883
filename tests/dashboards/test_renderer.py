"""The renderer on its own: widgets run concurrently, each failure stays in its widget, windows cascade."""
from __future__ import annotations

import threading
from typing import Any

import pytest

from google.protobuf import duration_pb2
from partneros.common.v1 import level_pb2, window_pb2
from partneros.dashboards.v1 import dashboards_pb2 as pb

from services.dashboards.config import RenderSettings
from services.dashboards.render import Renderer, widget_window
from services.dashboards.widgets.base import RenderCall


class _Barrier:
    """A widget type that completes only once `n` widgets are being computed at the same time."""

    name = "barrier"

    def __init__(self, n: int) -> None:
        self.barrier = threading.Barrier(n)

    def validate(self, widget: pb.Widget, index: int) -> None:
        return None

    def render(self, call: RenderCall) -> dict[str, Any]:
        self.barrier.wait(timeout=5)
        return {"thread": threading.current_thread().name, "timeout": call.timeout}


class _Broken:
    name = "broken"

    def validate(self, widget: pb.Widget, index: int) -> None:
        return None

    def render(self, call: RenderCall) -> dict[str, Any]:
        raise RuntimeError("bug in a widget")


def _dashboard(*types: str) -> pb.Dashboard:
    return pb.Dashboard(name="D", widgets=[pb.Widget(id=f"w{i}", type=t) for i, t in enumerate(types)])


def _render(renderer: Renderer, d: pb.Dashboard, **kw: Any) -> list[pb.RenderedWidget]:
    return renderer.render(d, level=level_pb2.Level(), window=None, time_zone="", metadata=(), **kw)


def test_widgets_are_computed_concurrently() -> None:
    n = 8
    renderer = Renderer(lambda: None, types={"barrier": _Barrier(n)})
    out = _render(renderer, _dashboard(*["barrier"] * n))
    assert [w.error_code for w in out] == [""] * n
    assert len({w.data["thread"] for w in out}) == n
    assert [w.widget_id for w in out] == [f"w{i}" for i in range(n)]


def test_concurrency_bounds_the_widgets_in_flight() -> None:
    in_flight, peak, lock, full = 0, 0, threading.Lock(), threading.Event()

    class _Counting:
        name = "counting"

        def validate(self, widget: pb.Widget, index: int) -> None:
            return None

        def render(self, call: RenderCall) -> dict[str, Any]:
            nonlocal in_flight, peak
            with lock:
                in_flight += 1
                peak = max(peak, in_flight)
                if in_flight >= 3:
                    full.set()
            full.wait(timeout=2)
            with lock:
                in_flight -= 1
            return {}

    out = _render(Renderer(lambda: None, concurrency=3, types={"counting": _Counting()}), _dashboard(*["counting"] * 9))
    assert [w.error_code for w in out] == [""] * 9 and peak == 3


def test_a_failing_widget_keeps_its_error_and_the_others_render() -> None:
    renderer = Renderer(lambda: None, types={"barrier": _Barrier(2), "broken": _Broken()})
    out = _render(renderer, _dashboard("barrier", "broken", "gone", "barrier"))
    assert [w.error_code for w in out] == ["", "INTERNAL", "UNIMPLEMENTED", ""]
    assert "bug" not in out[1].error_message  # internals stay in the log
    assert "'gone'" in out[2].error_message


def test_each_widget_gets_the_smallest_of_its_timeout_the_default_and_the_request_deadline() -> None:
    renderer = Renderer(lambda: None, types={"barrier": _Barrier(3)}, widget_timeout=10.0)
    d = _dashboard("barrier", "barrier", "barrier")
    d.widgets[1].timeout.CopyFrom(duration_pb2.Duration(seconds=2))
    out = _render(renderer, d, time_remaining=5.0)
    late = _render(renderer, _dashboard("barrier"), time_remaining=0.0)
    timeouts = [w.data["timeout"] for w in out]
    assert 4.0 < timeouts[0] <= 5.0 and 1.9 < timeouts[1] <= 2.0 and 4.0 < timeouts[2] <= 5.0
    assert late[0].error_code == "DEADLINE_EXCEEDED"


def test_window_cascade_widget_then_request_then_dashboard() -> None:
    week = window_pb2.Window(period=window_pb2.PERIOD_WEEK)
    month = window_pb2.Window(period=window_pb2.PERIOD_MONTH)
    quarter = window_pb2.Window(period=window_pb2.PERIOD_QUARTER)
    d = pb.Dashboard(name="D", default_window=quarter)
    own, plain = pb.Widget(window=week), pb.Widget()
    assert widget_window(own, month, d) == week
    assert widget_window(plain, month, d) == month
    assert widget_window(plain, None, d) == quarter
    assert widget_window(plain, None, pb.Dashboard(name="no default")) is None


def test_render_settings_come_from_the_environment() -> None:
    assert RenderSettings.from_env({}) == RenderSettings(concurrency=8, widget_timeout=10.0)
    knobs = RenderSettings.from_env({"PARTNEROS_RENDER_CONCURRENCY": "2", "PARTNEROS_WIDGET_TIMEOUT": "2.5"})
    assert knobs == RenderSettings(concurrency=2, widget_timeout=2.5)
    with pytest.raises(ValueError):
        RenderSettings.from_env({"PARTNEROS_RENDER_CONCURRENCY": "0"})
