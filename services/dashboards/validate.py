"""Validation of a dashboard before it is stored: name, levels, windows, filters, widgets, grid.

Every refusal is INVALID_ARGUMENT with the offending field, and names the widget concerned.
"""
from __future__ import annotations

import re

from partneros.common.v1 import filter_pb2, level_pb2, window_pb2
from partneros.dashboards.v1 import dashboards_pb2 as pb

from libs.errors import InvalidArgument
from services.dashboards.widgets.base import where, widget_types

__all__ = ["validate_dashboard", "validate_window", "validate_level", "GRID_COLUMNS", "GRID_ROWS", "MAX_WIDGETS"]

GRID_COLUMNS = 12
GRID_ROWS = 200
MAX_WIDGETS = 50
MAX_NAME, MAX_DESCRIPTION, MAX_TIMEOUT_SECONDS = 200, 4000, 300.0
_WIDGET_ID = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


def _invalid(message: str, reason: str, field: str, **meta: object) -> InvalidArgument:
    return InvalidArgument(message, reason=reason, field=field, **meta)


def validate_level(level: level_pb2.Level, field: str) -> None:
    """A level's shape: a kind the contract knows, an id exactly when the kind needs one."""
    if level.kind not in level_pb2.LevelKind.values():
        raise _invalid(f"{field}: unknown level kind {level.kind}", "INVALID_LEVEL", f"{field}.kind")
    needs_id = level.kind in (level_pb2.LEVEL_KIND_PARTNER, level_pb2.LEVEL_KIND_CUSTOMER)
    if needs_id and not level.id:
        raise _invalid(f"{field}: a {level_pb2.LevelKind.Name(level.kind)} level needs an id", "INVALID_LEVEL",
                       f"{field}.id")
    if not needs_id and level.id:
        raise _invalid(f"{field}: {level_pb2.LevelKind.Name(level.kind)} takes no id", "INVALID_LEVEL", f"{field}.id")


def validate_window(window: window_pb2.Window, field: str, **meta: object) -> None:
    """A window's shape; the metrics service resolves it to dates at render time."""
    if window.mode not in window_pb2.WindowMode.values() or window.period not in window_pb2.Period.values():
        raise _invalid(f"{field}: unknown window mode or period", "INVALID_WINDOW", field, **meta)
    if window.mode == window_pb2.WINDOW_MODE_RANGE:
        start, end = window.start_time.ToNanoseconds(), window.end_time.ToNanoseconds()
        if not window.HasField("start_time") or not window.HasField("end_time") or start >= end:
            raise _invalid(f"{field}: a range window needs start_time < end_time", "INVALID_WINDOW", field, **meta)
        return
    if window.mode == window_pb2.WINDOW_MODE_TRAILING and not 1 <= window.count <= 1000:
        raise _invalid(f"{field}: a trailing window needs a count between 1 and 1000", "INVALID_WINDOW",
                       f"{field}.count", **meta)
    if window.mode != window_pb2.WINDOW_MODE_UNSPECIFIED and not window.period:
        raise _invalid(f"{field}: this window needs a period", "INVALID_WINDOW", f"{field}.period", **meta)


def _validate_filters(filters, field: str, label: str, widget_id: str) -> None:  # noqa: ANN001
    for i, f in enumerate(filters):
        if not f.path or any(not part for part in f.path.split(".")):
            raise _invalid(f"{label}: filter path {f.path!r} is not a payload path like 'plan.tier'",
                           "INVALID_FILTER", f"{field}[{i}].path", widget_id=widget_id)
        if f.operator not in filter_pb2.FilterOperator.values() or f.operator == filter_pb2.FILTER_OPERATOR_UNSPECIFIED:
            raise _invalid(f"{label}: filter on {f.path!r} needs an operator", "INVALID_FILTER",
                           f"{field}[{i}].operator", widget_id=widget_id)


def _assign_ids(widgets) -> None:  # noqa: ANN001
    """Give widgets without an id the first free 'w<n>'."""
    taken = {w.id for w in widgets if w.id}
    n = 1
    for w in widgets:
        if not w.id:
            while f"w{n}" in taken:
                n += 1
            w.id = f"w{n}"
            taken.add(w.id)


def _validate_position(w: pb.Widget, i: int) -> None:
    p, label = w.position, where(w, i)
    field = f"dashboard.widgets[{i}].position"
    if p.w < 1 or p.h < 1:
        raise _invalid(f"{label}: width and height must be at least 1", "WIDGET_OUT_OF_GRID", field, widget_id=w.id)
    if p.x < 0 or p.y < 0 or p.x + p.w > GRID_COLUMNS or p.y + p.h > GRID_ROWS:
        raise _invalid(f"{label}: placed at x={p.x} y={p.y} w={p.w} h={p.h}, outside the {GRID_COLUMNS}-column grid",
                       "WIDGET_OUT_OF_GRID", field, widget_id=w.id)


def _overlaps(a: pb.GridPosition, b: pb.GridPosition) -> bool:
    return a.x < b.x + b.w and b.x < a.x + a.w and a.y < b.y + b.h and b.y < a.y + a.h


def _validate_widget(w: pb.Widget, i: int, seen: set[str]) -> None:
    label, field = where(w, i), f"dashboard.widgets[{i}]"
    if not _WIDGET_ID.match(w.id):
        raise _invalid(f"{label}: ids are 1-40 letters, digits, '_' or '-'", "WIDGET_ID_INVALID", f"{field}.id",
                       widget_id=w.id)
    if w.id in seen:
        raise _invalid(f"{label}: another widget already has id {w.id!r}", "WIDGET_ID_DUPLICATE", f"{field}.id",
                       widget_id=w.id)
    seen.add(w.id)
    plugin = widget_types().get(w.type)
    if plugin is None:
        raise _invalid(f"{label}: unknown widget type {w.type!r}; installed: {sorted(widget_types())}",
                       "WIDGET_TYPE_UNKNOWN", f"{field}.type", widget_id=w.id)
    if len(w.title) > MAX_NAME:
        raise _invalid(f"{label}: title longer than {MAX_NAME} characters", "WIDGET_TITLE_TOO_LONG",
                       f"{field}.title", widget_id=w.id)
    if w.grain not in window_pb2.Grain.values():
        raise _invalid(f"{label}: unknown grain {w.grain}", "INVALID_GRAIN", f"{field}.grain", widget_id=w.id)
    if w.HasField("window"):
        validate_window(w.window, f"{field}.window", widget_id=w.id)
    if w.HasField("timeout"):
        seconds = w.timeout.ToNanoseconds() / 1e9
        if not 0 < seconds <= MAX_TIMEOUT_SECONDS:
            raise _invalid(f"{label}: timeout must be positive and at most {MAX_TIMEOUT_SECONDS:g} s",
                           "WIDGET_TIMEOUT_INVALID", f"{field}.timeout", widget_id=w.id)
    _validate_filters(w.filters, f"{field}.filters", label, w.id)
    plugin.validate(w, i)
    _validate_position(w, i)


def validate_dashboard(d: pb.Dashboard) -> None:
    """Check (and normalise: trimmed name, widget ids assigned) a dashboard about to be stored."""
    d.name = d.name.strip()
    if not d.name:
        raise _invalid("a dashboard needs a name", "NAME_REQUIRED", "dashboard.name")
    if len(d.name) > MAX_NAME:
        raise _invalid(f"name longer than {MAX_NAME} characters", "NAME_TOO_LONG", "dashboard.name")
    if len(d.description) > MAX_DESCRIPTION:
        raise _invalid(f"description longer than {MAX_DESCRIPTION} characters", "DESCRIPTION_TOO_LONG",
                       "dashboard.description")
    validate_level(d.default_level, "dashboard.default_level")
    if d.HasField("default_window"):
        validate_window(d.default_window, "dashboard.default_window")
    if len(d.widgets) > MAX_WIDGETS:
        raise _invalid(f"at most {MAX_WIDGETS} widgets per dashboard", "TOO_MANY_WIDGETS", "dashboard.widgets")
    _assign_ids(d.widgets)
    seen: set[str] = set()
    for i, w in enumerate(d.widgets):
        _validate_widget(w, i, seen)
    for i, a in enumerate(d.widgets):
        for b in d.widgets[:i]:
            if _overlaps(a.position, b.position):
                raise _invalid(f"{where(a, i)} overlaps widget {b.id!r} on the grid", "WIDGET_OVERLAP",
                               f"dashboard.widgets[{i}].position", widget_id=a.id, other_widget_id=b.id)
