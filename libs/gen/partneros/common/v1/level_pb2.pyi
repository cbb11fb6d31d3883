from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class LevelKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LEVEL_KIND_UNSPECIFIED: _ClassVar[LevelKind]
    LEVEL_KIND_ALL_PARTNERS: _ClassVar[LevelKind]
    LEVEL_KIND_PARTNER: _ClassVar[LevelKind]
    LEVEL_KIND_CUSTOMER: _ClassVar[LevelKind]
LEVEL_KIND_UNSPECIFIED: LevelKind
LEVEL_KIND_ALL_PARTNERS: LevelKind
LEVEL_KIND_PARTNER: LevelKind
LEVEL_KIND_CUSTOMER: LevelKind

class Level(_message.Message):
    __slots__ = ("kind", "id")
    KIND_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    kind: LevelKind
    id: str
    def __init__(self, kind: _Optional[_Union[LevelKind, str]] = ..., id: _Optional[str] = ...) -> None: ...
