import datetime

from google.api import annotations_pb2 as _annotations_pb2
from google.api import field_behavior_pb2 as _field_behavior_pb2
from google.protobuf import empty_pb2 as _empty_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import wrappers_pb2 as _wrappers_pb2
from partneros.common.v1 import auth_pb2 as _auth_pb2
from partneros.common.v1 import filter_pb2 as _filter_pb2
from partneros.common.v1 import level_pb2 as _level_pb2
from partneros.common.v1 import window_pb2 as _window_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Metric(_message.Message):
    __slots__ = ("id", "name", "description", "aggregation", "event_names", "field", "filter_groups", "unit", "format", "version", "create_time", "update_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    AGGREGATION_FIELD_NUMBER: _ClassVar[int]
    EVENT_NAMES_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    FILTER_GROUPS_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    description: str
    aggregation: str
    event_names: _containers.RepeatedScalarFieldContainer[str]
    field: str
    filter_groups: _containers.RepeatedCompositeFieldContainer[_filter_pb2.FilterGroup]
    unit: str
    format: str
    version: int
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., aggregation: _Optional[str] = ..., event_names: _Optional[_Iterable[str]] = ..., field: _Optional[str] = ..., filter_groups: _Optional[_Iterable[_Union[_filter_pb2.FilterGroup, _Mapping]]] = ..., unit: _Optional[str] = ..., format: _Optional[str] = ..., version: _Optional[int] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateMetricRequest(_message.Message):
    __slots__ = ("metric",)
    METRIC_FIELD_NUMBER: _ClassVar[int]
    metric: Metric
    def __init__(self, metric: _Optional[_Union[Metric, _Mapping]] = ...) -> None: ...

class GetMetricRequest(_message.Message):
    __slots__ = ("metric_id",)
    METRIC_ID_FIELD_NUMBER: _ClassVar[int]
    metric_id: str
    def __init__(self, metric_id: _Optional[str] = ...) -> None: ...

class ListMetricsRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListMetricsResponse(_message.Message):
    __slots__ = ("metrics", "next_page_token")
    METRICS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    metrics: _containers.RepeatedCompositeFieldContainer[Metric]
    next_page_token: str
    def __init__(self, metrics: _Optional[_Iterable[_Union[Metric, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateMetricRequest(_message.Message):
    __slots__ = ("metric", "update_mask")
    METRIC_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    metric: Metric
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, metric: _Optional[_Union[Metric, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class DeleteMetricRequest(_message.Message):
    __slots__ = ("metric_id", "force")
    METRIC_ID_FIELD_NUMBER: _ClassVar[int]
    FORCE_FIELD_NUMBER: _ClassVar[int]
    metric_id: str
    force: bool
    def __init__(self, metric_id: _Optional[str] = ..., force: _Optional[bool] = ...) -> None: ...

class QueryMetricRequest(_message.Message):
    __slots__ = ("metric_id", "level", "window", "grain", "time_zone", "compare_previous", "breakdown_by_partner", "breakdown_limit", "filters", "as_of_time", "as_seen")
    METRIC_ID_FIELD_NUMBER: _ClassVar[int]
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    WINDOW_FIELD_NUMBER: _ClassVar[int]
    GRAIN_FIELD_NUMBER: _ClassVar[int]
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    COMPARE_PREVIOUS_FIELD_NUMBER: _ClassVar[int]
    BREAKDOWN_BY_PARTNER_FIELD_NUMBER: _ClassVar[int]
    BREAKDOWN_LIMIT_FIELD_NUMBER: _ClassVar[int]
    FILTERS_FIELD_NUMBER: _ClassVar[int]
    AS_OF_TIME_FIELD_NUMBER: _ClassVar[int]
    AS_SEEN_FIELD_NUMBER: _ClassVar[int]
    metric_id: str
    level: _level_pb2.Level
    window: _window_pb2.Window
    grain: _window_pb2.Grain
    time_zone: str
    compare_previous: bool
    breakdown_by_partner: bool
    breakdown_limit: int
    filters: _containers.RepeatedCompositeFieldContainer[_filter_pb2.PropertyFilter]
    as_of_time: _timestamp_pb2.Timestamp
    as_seen: bool
    def __init__(self, metric_id: _Optional[str] = ..., level: _Optional[_Union[_level_pb2.Level, _Mapping]] = ..., window: _Optional[_Union[_window_pb2.Window, _Mapping]] = ..., grain: _Optional[_Union[_window_pb2.Grain, str]] = ..., time_zone: _Optional[str] = ..., compare_previous: _Optional[bool] = ..., breakdown_by_partner: _Optional[bool] = ..., breakdown_limit: _Optional[int] = ..., filters: _Optional[_Iterable[_Union[_filter_pb2.PropertyFilter, _Mapping]]] = ..., as_of_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., as_seen: _Optional[bool] = ...) -> None: ...

class Bucket(_message.Message):
    __slots__ = ("start_time", "value")
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    start_time: _timestamp_pb2.Timestamp
    value: float
    def __init__(self, start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., value: _Optional[float] = ...) -> None: ...

class BreakdownRow(_message.Message):
    __slots__ = ("partner_id", "partner_name", "value", "is_rest")
    PARTNER_ID_FIELD_NUMBER: _ClassVar[int]
    PARTNER_NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    IS_REST_FIELD_NUMBER: _ClassVar[int]
    partner_id: str
    partner_name: str
    value: float
    is_rest: bool
    def __init__(self, partner_id: _Optional[str] = ..., partner_name: _Optional[str] = ..., value: _Optional[float] = ..., is_rest: _Optional[bool] = ...) -> None: ...

class QueryMetricResponse(_message.Message):
    __slots__ = ("value", "previous_value", "change", "buckets", "breakdown", "skipped_count", "start_time", "end_time", "effective_level", "metric_version", "previous_start_time", "previous_end_time", "time_zone")
    VALUE_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_VALUE_FIELD_NUMBER: _ClassVar[int]
    CHANGE_FIELD_NUMBER: _ClassVar[int]
    BUCKETS_FIELD_NUMBER: _ClassVar[int]
    BREAKDOWN_FIELD_NUMBER: _ClassVar[int]
    SKIPPED_COUNT_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_LEVEL_FIELD_NUMBER: _ClassVar[int]
    METRIC_VERSION_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_START_TIME_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_END_TIME_FIELD_NUMBER: _ClassVar[int]
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    value: float
    previous_value: float
    change: _wrappers_pb2.DoubleValue
    buckets: _containers.RepeatedCompositeFieldContainer[Bucket]
    breakdown: _containers.RepeatedCompositeFieldContainer[BreakdownRow]
    skipped_count: int
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    effective_level: _level_pb2.Level
    metric_version: int
    previous_start_time: _timestamp_pb2.Timestamp
    previous_end_time: _timestamp_pb2.Timestamp
    time_zone: str
    def __init__(self, value: _Optional[float] = ..., previous_value: _Optional[float] = ..., change: _Optional[_Union[_wrappers_pb2.DoubleValue, _Mapping]] = ..., buckets: _Optional[_Iterable[_Union[Bucket, _Mapping]]] = ..., breakdown: _Optional[_Iterable[_Union[BreakdownRow, _Mapping]]] = ..., skipped_count: _Optional[int] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., effective_level: _Optional[_Union[_level_pb2.Level, _Mapping]] = ..., metric_version: _Optional[int] = ..., previous_start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., previous_end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., time_zone: _Optional[str] = ...) -> None: ...

class Event(_message.Message):
    __slots__ = ("event_id", "name", "customer_id", "partner_id", "timestamp", "properties", "properties_json", "source", "receive_time", "customer_name")
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_ID_FIELD_NUMBER: _ClassVar[int]
    PARTNER_ID_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    PROPERTIES_FIELD_NUMBER: _ClassVar[int]
    PROPERTIES_JSON_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    RECEIVE_TIME_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_NAME_FIELD_NUMBER: _ClassVar[int]
    event_id: str
    name: str
    customer_id: str
    partner_id: str
    timestamp: _timestamp_pb2.Timestamp
    properties: _struct_pb2.Struct
    properties_json: str
    source: str
    receive_time: _timestamp_pb2.Timestamp
    customer_name: str
    def __init__(self, event_id: _Optional[str] = ..., name: _Optional[str] = ..., customer_id: _Optional[str] = ..., partner_id: _Optional[str] = ..., timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., properties: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., properties_json: _Optional[str] = ..., source: _Optional[str] = ..., receive_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., customer_name: _Optional[str] = ...) -> None: ...

class QueryEventsRequest(_message.Message):
    __slots__ = ("level", "window", "event_names", "filter_groups", "page_size", "page_token", "time_zone", "as_of_time", "as_seen")
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    WINDOW_FIELD_NUMBER: _ClassVar[int]
    EVENT_NAMES_FIELD_NUMBER: _ClassVar[int]
    FILTER_GROUPS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    AS_OF_TIME_FIELD_NUMBER: _ClassVar[int]
    AS_SEEN_FIELD_NUMBER: _ClassVar[int]
    level: _level_pb2.Level
    window: _window_pb2.Window
    event_names: _containers.RepeatedScalarFieldContainer[str]
    filter_groups: _containers.RepeatedCompositeFieldContainer[_filter_pb2.FilterGroup]
    page_size: int
    page_token: str
    time_zone: str
    as_of_time: _timestamp_pb2.Timestamp
    as_seen: bool
    def __init__(self, level: _Optional[_Union[_level_pb2.Level, _Mapping]] = ..., window: _Optional[_Union[_window_pb2.Window, _Mapping]] = ..., event_names: _Optional[_Iterable[str]] = ..., filter_groups: _Optional[_Iterable[_Union[_filter_pb2.FilterGroup, _Mapping]]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., time_zone: _Optional[str] = ..., as_of_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., as_seen: _Optional[bool] = ...) -> None: ...

class QueryEventsResponse(_message.Message):
    __slots__ = ("events", "next_page_token")
    EVENTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    events: _containers.RepeatedCompositeFieldContainer[Event]
    next_page_token: str
    def __init__(self, events: _Optional[_Iterable[_Union[Event, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
