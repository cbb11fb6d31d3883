from google.protobuf import descriptor_pb2 as _descriptor_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor
AUTH_FIELD_NUMBER: _ClassVar[int]
auth: _descriptor.FieldDescriptor

class AuthRule(_message.Message):
    __slots__ = ("permission",)
    PERMISSION_FIELD_NUMBER: _ClassVar[int]
    permission: str
    def __init__(self, permission: _Optional[str] = ...) -> None: ...
