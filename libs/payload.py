"""A stored event payload (canonical JSON text) as the field of a response message.

`properties`, a google.protobuf.Struct, where one holds the payload exactly; else
`properties_json`, the text as stored. A Struct carries every number as a double (integers are
exact up to 2**53) and protobuf decodes at most 32 levels of it in a response, so a payload
beyond either would come back altered, or make the whole response undecodable.
"""
from __future__ import annotations

import json
from typing import Any

from google.protobuf import json_format, struct_pb2
from google.protobuf.message import Message

__all__ = ["payload_fields", "payload_value", "fits_struct", "STRUCT_DEPTH"]

STRUCT_DEPTH = 32  # objects and arrays a payload nests in, at most, to travel as a Struct
_STRUCT_INT = 2**53


def fits_struct(value: object, levels: int = STRUCT_DEPTH) -> bool:
    """Whether a Struct (or Value) carries `value` exactly within `levels` of objects and arrays."""
    if type(value) is dict:
        return levels > 0 and all(fits_struct(v, levels - 1) for v in value.values())
    if type(value) is list:
        return levels > 0 and all(fits_struct(v, levels - 1) for v in value)
    return type(value) is not int or -_STRUCT_INT <= value <= _STRUCT_INT


def payload_fields(text: str) -> dict[str, Any]:
    """{"properties": Struct} or {"properties_json": text}, for a message's constructor."""
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {"properties_json": text}
    if type(value) is not dict or not fits_struct(value):
        return {"properties_json": text}
    properties = struct_pb2.Struct()
    properties.update(value)
    return {"properties": properties}


def payload_value(message: Message) -> Any:
    """The payload of a message with the two fields, as JSON values."""
    if message.WhichOneof("payload") == "properties_json":
        return json.loads(message.properties_json)
    return json_format.MessageToDict(message.properties)
