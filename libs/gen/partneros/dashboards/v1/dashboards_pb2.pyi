import datetime

from google.api import annotations_pb2 as _annotations_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import empty_pb2 as _empty_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from partneros.common.v1 import auth_pb2 as _auth_pb2
from partneros.common.v1 import filter_pb2 as _filter_pb2
from partneros.common.v1 import level_pb2 as _level_pb2
from partneros.common.v1 import window_pb2 as _window_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ChartStyle(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHART_STYLE_UNSPECIFIED: _ClassVar[ChartStyle]
    CHART_STYLE_LINE: _ClassVar[ChartStyle]
    CHART_STYLE_BAR: _ClassVar[ChartStyle]
CHART_STYLE_UNSPECIFIED: ChartStyle
CHART_STYLE_LINE: ChartStyle
CHART_STYLE_BAR: ChartStyle

class GridPosition(_message.Message):
    __slots__ = ("x", "y", "w", "h")
    X_FIELD_NUMBER: _ClassVar[int]
    Y_FIELD_NUMBER: _ClassVar[int]
    W_FIELD_NUMBER: _ClassVar[int]
    H_FIELD_NUMBER: _ClassVar[int]
    x: int
    y: int
    w: int
    h: int
    def __init__(self, x: _Optional[int] = ..., y: _Optional[int] = ..., w: _Optional[int] = ..., h: _Optional[int] = ...) -> None: ...

class Widget(_message.Message):
    __slots__ = ("id", "type", "title", "metric_id", "window", "grain", "filters", "event_names", "columns", "position", "limit", "timeout", "chart_style")
    ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    METRIC_ID_FIELD_NUMBER: _ClassVar[int]
    WINDOW_FIELD_NUMBER: _ClassVar[int]
    GRAIN_FIELD_NUMBER: _ClassVar[int]
    FILTERS_FIELD_NUMBER: _ClassVar[int]
    EVENT_NAMES_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    CHART_STYLE_FIELD_NUMBER: _ClassVar[int]
    id: str
    type: str
    title: str
    metric_id: str
    window: _window_pb2.Window
    grain: _window_pb2.Grain
    filters: _containers.RepeatedCompositeFieldContainer[_filter_pb2.PropertyFilter]
    event_names: _containers.RepeatedScalarFieldContainer[str]
    columns: _containers.RepeatedScalarFieldContainer[str]
    position: GridPosition
    limit: int
    timeout: _duration_pb2.Duration
    chart_style: ChartStyle
    def __init__(self, id: _Optional[str] = ..., type: _Optional[str] = ..., title: _Optional[str] = ..., metric_id: _Optional[str] = ..., window: _Optional[_Union[_window_pb2.Window, _Mapping]] = ..., grain: _Optional[_Union[_window_pb2.Grain, str]] = ..., filters: _Optional[_Iterable[_Union[_filter_pb2.PropertyFilter, _Mapping]]] = ..., event_names: _Optional[_Iterable[str]] = ..., columns: _Optional[_Iterable[str]] = ..., position: _Optional[_Union[GridPosition, _Mapping]] = ..., limit: _Optional[int] = ..., timeout: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., chart_style: _Optional[_Union[ChartStyle, str]] = ...) -> None: ...

class Dashboard(_message.Message):
    __slots__ = ("id", "name", "description", "widgets", "default_level", "default_window", "shared_with_partners", "version", "create_time", "update_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    WIDGETS_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_LEVEL_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_WINDOW_FIELD_NUMBER: _ClassVar[int]
    SHARED_WITH_PARTNERS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    description: str
    widgets: _containers.RepeatedCompositeFieldContainer[Widget]
    default_level: _level_pb2.Level
    default_window: _window_pb2.Window
    shared_with_partners: bool
    version: int
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., widgets: _Optional[_Iterable[_Union[Widget, _Mapping]]] = ..., default_level: _Optional[_Union[_level_pb2.Level, _Mapping]] = ..., default_window: _Optional[_Union[_window_pb2.Window, _Mapping]] = ..., shared_with_partners: _Optional[bool] = ..., version: _Optional[int] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateDashboardRequest(_message.Message):
    __slots__ = ("dashboard",)
    DASHBOARD_FIELD_NUMBER: _ClassVar[int]
    dashboard: Dashboard
    def __init__(self, dashboard: _Optional[_Union[Dashboard, _Mapping]] = ...) -> None: ...

class GetDashboardRequest(_message.Message):
    __slots__ = ("dashboard_id",)
    DASHBOARD_ID_FIELD_NUMBER: _ClassVar[int]
    dashboard_id: str
    def __init__(self, dashboard_id: _Optional[str] = ...) -> None: ...

class ListDashboardsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "query")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    query: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., query: _Optional[str] = ...) -> None: ...

class ListDashboardsResponse(_message.Message):
    __slots__ = ("dashboards", "next_page_token")
    DASHBOARDS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    dashboards: _containers.RepeatedCompositeFieldContainer[Dashboard]
    next_page_token: str
    def __init__(self, dashboards: _Optional[_Iterable[_Union[Dashboard, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateDashboardRequest(_message.Message):
    __slots__ = ("dashboard", "update_mask")
    DASHBOARD_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    dashboard: Dashboard
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, dashboard: _Optional[_Union[Dashboard, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class DeleteDashboardRequest(_message.Message):
    __slots__ = ("dashboard_id",)
    DASHBOARD_ID_FIELD_NUMBER: _ClassVar[int]
    dashboard_id: str
    def __init__(self, dashboard_id: _Optional[str] = ...) -> None: ...

class DuplicateDashboardRequest(_message.Message):
    __slots__ = ("dashboard_id", "name")
    DASHBOARD_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    dashboard_id: str
    name: str
    def __init__(self, dashboard_id: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class RenderDashboardRequest(_message.Message):
    __slots__ = ("dashboard_id", "level", "window", "time_zone")
    DASHBOARD_ID_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    WINDOW_FIELD_NUMBER: _ClassVar[int]
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    dashboard_id: str
    level: _level_pb2.Level
    window: _window_pb2.Window
    time_zone: str
    def __init__(self, dashboard_id: _Optional[str] = ..., level: _Optional[_Union[_level_pb2.Level, _Mapping]] = ..., window: _Optional[_Union[_window_pb2.Window, _Mapping]] = ..., time_zone: _Optional[str] = ...) -> None: ...

class RenderedWidget(_message.Message):
    __slots__ = ("widget_id", "type", "data", "error_code", "error_message")
    WIDGET_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    ERROR_CODE_FIELD_NUMBER: _ClassVar[int]
    ERROR_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    widget_id: str
    type: str
    data: _struct_pb2.Struct
    error_code: str
    error_message: str
    def __init__(self, widget_id: _Optional[str] = ..., type: _Optional[str] = ..., data: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., error_code: _Optional[str] = ..., error_message: _Optional[str] = ...) -> None: ...

class RenderDashboardResponse(_message.Message):
    __slots__ = ("dashboard", "widgets", "effective_level")
    DASHBOARD_FIELD_NUMBER: _ClassVar[int]
    WIDGETS_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_LEVEL_FIELD_NUMBER: _ClassVar[int]
    dashboard: Dashboard
    widgets: _containers.RepeatedCompositeFieldContainer[RenderedWidget]
    effective_level: _level_pb2.Level
    def __init__(self, dashboard: _Optional[_Union[Dashboard, _Mapping]] = ..., widgets: _Optional[_Iterable[_Union[RenderedWidget, _Mapping]]] = ..., effective_level: _Optional[_Union[_level_pb2.Level, _Mapping]] = ...) -> None: ...
