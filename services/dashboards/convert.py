"""Rows <-> Dashboard messages. Widgets are kept as their proto JSON, so a widget field added
to the contract is stored without a migration."""
from __future__ import annotations

import datetime as dt

from google.protobuf import json_format
from partneros.common.v1 import window_pb2
from partneros.dashboards.v1 import dashboards_pb2 as pb

from services.dashboards.models import DashboardRow, WidgetRow

__all__ = ["to_message", "widget_rows", "window_json", "aware"]


def aware(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def window_json(dashboard: pb.Dashboard) -> str:
    """The default window as JSON, or "" when the dashboard has none."""
    if not dashboard.HasField("default_window"):
        return ""
    return json_format.MessageToJson(dashboard.default_window, preserving_proto_field_name=True, indent=None)


def widget_rows(tenant_id: str, dashboard_id: str, dashboard: pb.Dashboard) -> list[WidgetRow]:
    """One row per widget, in display order."""
    return [
        WidgetRow(dashboard_id=dashboard_id, ordinal=i, tenant_id=tenant_id, widget_id=w.id, type=w.type,
                  metric_id=w.metric_id,
                  spec=json_format.MessageToJson(w, preserving_proto_field_name=True, indent=None))
        for i, w in enumerate(dashboard.widgets)
    ]


def to_message(row: DashboardRow, widgets: list[WidgetRow]) -> pb.Dashboard:
    """The Dashboard message of a stored dashboard and its widgets."""
    out = pb.Dashboard(id=row.id, name=row.name, description=row.description,
                       shared_with_partners=row.shared_with_partners, version=row.version)
    out.default_level.kind = row.default_level_kind
    out.default_level.id = row.default_level_id
    if row.default_window:
        out.default_window.CopyFrom(json_format.Parse(row.default_window, window_pb2.Window()))
    for w in sorted(widgets, key=lambda r: r.ordinal):
        out.widgets.append(json_format.Parse(w.spec, pb.Widget(), ignore_unknown_fields=True))
    out.create_time.FromDatetime(aware(row.create_time))
    out.update_time.FromDatetime(aware(row.update_time))
    return out
