from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class FilterOperator(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FILTER_OPERATOR_UNSPECIFIED: _ClassVar[FilterOperator]
    FILTER_OPERATOR_EQUALS: _ClassVar[FilterOperator]
    FILTER_OPERATOR_NOT_EQUALS: _ClassVar[FilterOperator]
    FILTER_OPERATOR_IN: _ClassVar[FilterOperator]
    FILTER_OPERATOR_NOT_IN: _ClassVar[FilterOperator]
    FILTER_OPERATOR_GREATER: _ClassVar[FilterOperator]
    FILTER_OPERATOR_GREATER_OR_EQUAL: _ClassVar[FilterOperator]
    FILTER_OPERATOR_LESS: _ClassVar[FilterOperator]
    FILTER_OPERATOR_LESS_OR_EQUAL: _ClassVar[FilterOperator]
    FILTER_OPERATOR_CONTAINS: _ClassVar[FilterOperator]
    FILTER_OPERATOR_EXISTS: _ClassVar[FilterOperator]
    FILTER_OPERATOR_NOT_EXISTS: _ClassVar[FilterOperator]
FILTER_OPERATOR_UNSPECIFIED: FilterOperator
FILTER_OPERATOR_EQUALS: FilterOperator
FILTER_OPERATOR_NOT_EQUALS: FilterOperator
FILTER_OPERATOR_IN: FilterOperator
FILTER_OPERATOR_NOT_IN: FilterOperator
FILTER_OPERATOR_GREATER: FilterOperator
FILTER_OPERATOR_GREATER_OR_EQUAL: FilterOperator
FILTER_OPERATOR_LESS: FilterOperator
FILTER_OPERATOR_LESS_OR_EQUAL: FilterOperator
FILTER_OPERATOR_CONTAINS: FilterOperator
FILTER_OPERATOR_EXISTS: FilterOperator
FILTER_OPERATOR_NOT_EXISTS: FilterOperator

class PropertyFilter(_message.Message):
    __slots__ = ("path", "operator", "values")
    PATH_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    path: str
    operator: FilterOperator
    values: _containers.RepeatedCompositeFieldContainer[_struct_pb2.Value]
    def __init__(self, path: _Optional[str] = ..., operator: _Optional[_Union[FilterOperator, str]] = ..., values: _Optional[_Iterable[_Union[_struct_pb2.Value, _Mapping]]] = ...) -> None: ...

class FilterGroup(_message.Message):
    __slots__ = ("filters",)
    FILTERS_FIELD_NUMBER: _ClassVar[int]
    filters: _containers.RepeatedCompositeFieldContainer[PropertyFilter]
    def __init__(self, filters: _Optional[_Iterable[_Union[PropertyFilter, _Mapping]]] = ...) -> None: ...
