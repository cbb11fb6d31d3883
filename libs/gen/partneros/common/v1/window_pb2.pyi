import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Period(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PERIOD_UNSPECIFIED: _ClassVar[Period]
    PERIOD_DAY: _ClassVar[Period]
    PERIOD_WEEK: _ClassVar[Period]
    PERIOD_MONTH: _ClassVar[Period]
    PERIOD_QUARTER: _ClassVar[Period]

class WindowMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    WINDOW_MODE_UNSPECIFIED: _ClassVar[WindowMode]
    WINDOW_MODE_CURRENT_TO_DATE: _ClassVar[WindowMode]
    WINDOW_MODE_LAST_COMPLETE: _ClassVar[WindowMode]
    WINDOW_MODE_TRAILING: _ClassVar[WindowMode]
    WINDOW_MODE_RANGE: _ClassVar[WindowMode]

class Grain(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    GRAIN_UNSPECIFIED: _ClassVar[Grain]
    GRAIN_HOUR: _ClassVar[Grain]
    GRAIN_DAY: _ClassVar[Grain]
    GRAIN_WEEK: _ClassVar[Grain]
    GRAIN_MONTH: _ClassVar[Grain]
    GRAIN_QUARTER: _ClassVar[Grain]
PERIOD_UNSPECIFIED: Period
PERIOD_DAY: Period
PERIOD_WEEK: Period
PERIOD_MONTH: Period
PERIOD_QUARTER: Period
WINDOW_MODE_UNSPECIFIED: WindowMode
WINDOW_MODE_CURRENT_TO_DATE: WindowMode
WINDOW_MODE_LAST_COMPLETE: WindowMode
WINDOW_MODE_TRAILING: WindowMode
WINDOW_MODE_RANGE: WindowMode
GRAIN_UNSPECIFIED: Grain
GRAIN_HOUR: Grain
GRAIN_DAY: Grain
GRAIN_WEEK: Grain
GRAIN_MONTH: Grain
GRAIN_QUARTER: Grain

class Window(_message.Message):
    __slots__ = ("period", "mode", "count", "start_time", "end_time")
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    period: Period
    mode: WindowMode
    count: int
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    def __init__(self, period: _Optional[_Union[Period, str]] = ..., mode: _Optional[_Union[WindowMode, str]] = ..., count: _Optional[int] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
