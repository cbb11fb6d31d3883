"""Dashboard validation: the grid, widget fields per type, windows and levels; errors name the widget."""
from __future__ import annotations

import pytest
from google.protobuf import duration_pb2
from partneros.common.v1 import level_pb2, window_pb2
from partneros.dashboards.v1 import dashboards_pb2 as pb

from libs.errors import InvalidArgument
from services.dashboards.validate import GRID_COLUMNS, validate_dashboard
from tests.dashboards.conftest import event_list, metric_widget


def _refused(d: pb.Dashboard) -> InvalidArgument:
    with pytest.raises(InvalidArgument) as err:
        validate_dashboard(d)
    return err.value


def test_a_valid_layout_passes_and_missing_ids_are_assigned() -> None:
    d = pb.Dashboard(name="  Sales  ", widgets=[
        metric_widget("met_a", x=0, y=0, w=6), metric_widget("met_b", "w1", kind="timeseries", x=6, y=0, w=6),
        event_list(x=0, y=2, w=GRID_COLUMNS)])
    validate_dashboard(d)
    assert d.name == "Sales"
    assert [w.id for w in d.widgets] == ["w2", "w1", "w3"]


@pytest.mark.parametrize(("x", "y", "w", "h"), [(9, 4, 4, 1), (-1, 4, 2, 1), (0, -1, 2, 1), (0, 4, 0, 1),
                                                (0, 4, 2, 0), (12, 4, 1, 1), (0, 199, 1, 2)])
def test_out_of_grid_placement_is_refused_naming_the_widget(x: int, y: int, w: int, h: int) -> None:
    d = pb.Dashboard(name="D", widgets=[event_list("ok"), event_list("bad", title="Churn", x=x, y=y, w=w, h=h)])
    err = _refused(d)
    assert err.reason == "WIDGET_OUT_OF_GRID"
    assert "'bad'" in err.message and "'Churn'" in err.message
    assert err.metadata == {"field": "dashboard.widgets[1].position", "widget_id": "bad"}


def test_overlapping_widgets_are_refused_naming_both() -> None:
    d = pb.Dashboard(name="D", widgets=[event_list("left", x=0, y=0, w=6, h=4),
                                        event_list("right", x=6, y=0, w=6, h=2),
                                        event_list("late", x=5, y=3, w=2, h=2)])
    err = _refused(d)
    assert err.reason == "WIDGET_OVERLAP" and err.metadata["widget_id"] == "late"
    assert err.metadata["other_widget_id"] == "left"
    # touching edges is fine
    validate_dashboard(pb.Dashboard(name="D", widgets=[event_list("a", x=0, y=0, w=6, h=2),
                                                       event_list("b", x=6, y=0, w=6, h=2),
                                                       event_list("c", x=0, y=2, w=12, h=1)]))


@pytest.mark.parametrize(("widget", "reason", "field"), [
    (pb.Widget(id="x", type="pie", position=pb.GridPosition(w=1, h=1)), "WIDGET_TYPE_UNKNOWN", "type"),
    (metric_widget("", "x"), "WIDGET_METRIC_REQUIRED", "metric_id"),
    (metric_widget("", "x", kind="timeseries"), "WIDGET_METRIC_REQUIRED", "metric_id"),
    (metric_widget("met", "x", grain=window_pb2.GRAIN_DAY), "WIDGET_FIELD_NOT_APPLICABLE", "grain"),
    (metric_widget("met", "x", columns=["a"]), "WIDGET_FIELD_NOT_APPLICABLE", "columns"),
    (event_list("x", metric_id="met"), "WIDGET_FIELD_NOT_APPLICABLE", "metric_id"),
    (metric_widget("met", "x", chart_style=pb.CHART_STYLE_BAR), "WIDGET_FIELD_NOT_APPLICABLE", "chart_style"),
    (event_list("x", chart_style=pb.CHART_STYLE_LINE), "WIDGET_FIELD_NOT_APPLICABLE", "chart_style"),
    (metric_widget("met", "x", kind="timeseries", chart_style=7), "WIDGET_CHART_STYLE_INVALID", "chart_style"),
    (event_list("x", limit=5000), "WIDGET_LIMIT_INVALID", "limit"),
    (event_list("x", columns=["plan..tier"]), "WIDGET_COLUMNS_INVALID", "columns[0]"),
    (event_list("x", timeout=duration_pb2.Duration(seconds=600)), "WIDGET_TIMEOUT_INVALID", "timeout"),
    (event_list("bad id!"), "WIDGET_ID_INVALID", "id"),
    (event_list("x", window=window_pb2.Window(mode=window_pb2.WINDOW_MODE_TRAILING,
                                              period=window_pb2.PERIOD_DAY)), "INVALID_WINDOW", "window.count"),
    (event_list("x", window=window_pb2.Window(mode=window_pb2.WINDOW_MODE_RANGE)), "INVALID_WINDOW", "window"),
])
def test_widget_fields_are_checked_per_type(widget: pb.Widget, reason: str, field: str) -> None:
    err = _refused(pb.Dashboard(name="D", widgets=[widget]))
    assert err.reason == reason
    assert err.metadata["field"] == f"dashboard.widgets[0].{field}"
    assert err.metadata["widget_id"] == widget.id


def test_filters_need_a_path_and_an_operator() -> None:
    w = metric_widget("met", "f")
    w.filters.add(path="plan.tier")
    err = _refused(pb.Dashboard(name="D", widgets=[w]))
    assert err.reason == "INVALID_FILTER" and err.metadata["field"] == "dashboard.widgets[0].filters[0].operator"


def test_duplicate_widget_ids_name_required_level_shape() -> None:
    assert _refused(pb.Dashboard(name="D", widgets=[event_list("a"), event_list("a", x=4)])).reason == \
        "WIDGET_ID_DUPLICATE"
    assert _refused(pb.Dashboard(name="   ")).reason == "NAME_REQUIRED"
    d = pb.Dashboard(name="D", default_level=level_pb2.Level(kind=level_pb2.LEVEL_KIND_PARTNER))
    assert _refused(d).metadata["field"] == "dashboard.default_level.id"
    d = pb.Dashboard(name="D", default_level=level_pb2.Level(kind=level_pb2.LEVEL_KIND_ALL_PARTNERS, id="ptn_x"))
    assert _refused(d).reason == "INVALID_LEVEL"
