"""Proto3 JSON <-> protobuf messages, compiled once per message type.

The mapping is google.protobuf.json_format's (lowerCamel or original names in, lowerCamel out;
64-bit integers as strings; enums by name; RFC 3339 timestamps; Struct as free-form JSON; every
field without presence printed, so a zero is a 0 and not a missing key). It is several times
faster on large batches: decoding turns parsed JSON into one nested dict of constructor
arguments, so the message is built by a single call into the C runtime; encoding reads each
field through a precompiled converter instead of re-inspecting descriptors per value.
"""
from __future__ import annotations

import base64
import threading
from collections.abc import Callable
from typing import Any

from google.protobuf import any_pb2, json_format
from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from services.gateway.wkt import WKT_DECODERS, WKT_ENCODERS, WRAPPERS, JsonError, encode_float, short_float32

__all__ = ["JsonError", "from_json", "to_json", "decode_scalar_text"]

_F = FieldDescriptor
_INT_RANGES = {
    _F.TYPE_INT32: (-(2**31), 2**31 - 1), _F.TYPE_SINT32: (-(2**31), 2**31 - 1),
    _F.TYPE_SFIXED32: (-(2**31), 2**31 - 1), _F.TYPE_UINT32: (0, 2**32 - 1), _F.TYPE_FIXED32: (0, 2**32 - 1),
    _F.TYPE_INT64: (-(2**63), 2**63 - 1), _F.TYPE_SINT64: (-(2**63), 2**63 - 1),
    _F.TYPE_SFIXED64: (-(2**63), 2**63 - 1), _F.TYPE_UINT64: (0, 2**64 - 1), _F.TYPE_FIXED64: (0, 2**64 - 1),
}
_INT64 = {_F.TYPE_INT64, _F.TYPE_SINT64, _F.TYPE_SFIXED64, _F.TYPE_UINT64, _F.TYPE_FIXED64}
_FLOAT32_MAX = 3.4028234663852886e38
_SPECIAL_FLOATS = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}

_decoders: dict[str, Callable[[Any], dict]] = {}
_encoders: dict[str, Callable[[Message], dict]] = {}
_lock = threading.Lock()


# ---------------------------------------------------------------------------- decoding


def _int_decoder(lo: int, hi: int) -> Callable[[Any], int]:
    def decode(value: Any) -> int:
        if isinstance(value, bool):
            raise JsonError(f"expected an integer, got {value!r}")
        if isinstance(value, int):
            number = value
        elif isinstance(value, float):
            if not value.is_integer():
                raise JsonError(f"expected an integer, got {value!r}")
            number = int(value)
        elif isinstance(value, str) and value and " " not in value:
            try:
                number = int(value)
            except ValueError:
                try:
                    as_float = float(value)
                except ValueError:
                    raise JsonError(f"expected an integer, got {value!r}") from None
                if not as_float.is_integer():
                    raise JsonError(f"expected an integer, got {value!r}") from None
                number = int(as_float)
        else:
            raise JsonError(f"expected an integer, got {value!r}")
        if not lo <= number <= hi:
            raise JsonError(f"integer {number} out of range [{lo}, {hi}]")
        return number

    return decode


def _float_decoder(single: bool) -> Callable[[Any], float]:
    def decode(value: Any) -> float:
        if isinstance(value, bool):
            raise JsonError(f"expected a number, got {value!r}")
        if isinstance(value, (int, float)):
            number = float(value)
        elif isinstance(value, str):
            if value in _SPECIAL_FLOATS:
                return _SPECIAL_FLOATS[value]
            try:
                number = float(value)
            except ValueError:
                raise JsonError(f"expected a number, got {value!r}") from None
            if number != number or number in (float("inf"), float("-inf")):
                raise JsonError(f"use \"NaN\", \"Infinity\" or \"-Infinity\", not {value!r}")
        else:
            raise JsonError(f"expected a number, got {value!r}")
        if single and abs(number) > _FLOAT32_MAX:
            raise JsonError(f"float value {value!r} out of range")
        return number

    return decode


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise JsonError(f"expected a string, got {value!r}")
    return value


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise JsonError(f"expected true or false, got {value!r}")
    return value


def _bytes(value: Any) -> bytes:
    if not isinstance(value, str):
        raise JsonError("expected a base64 string")
    # URL-safe or standard alphabet, padded or not, and wrapped in lines (as base64 tools write
    # it, and as Go's and protobuf's own JSON readers take it).
    text = value.replace("-", "+").replace("_", "/").replace("\r", "").replace("\n", "")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except ValueError:
        raise JsonError("invalid base64") from None


def _enum_decoder(field: FieldDescriptor) -> Callable[[Any], int]:
    enum = field.enum_type
    by_name = {v.name: v.number for v in enum.values}
    numbers = set(by_name.values())
    closed = enum.is_closed

    def decode(value: Any) -> int:
        if isinstance(value, str):
            if value in by_name:
                return by_name[value]
            digits = value.lstrip("-")
            if digits.isascii() and digits.isdigit():  # "²" is a Unicode digit, not a number
                value = int(value)
            else:
                raise JsonError(f"unknown {enum.name} value {value!r}; expected one of {sorted(by_name)}")
        if isinstance(value, int) and not isinstance(value, bool):
            if (closed and value not in numbers) or not -(2**31) <= value < 2**31:
                raise JsonError(f"unknown {enum.name} value {value}")
            return value
        raise JsonError(f"expected a {enum.name} name, got {value!r}")

    return decode


def _scalar_decoder(field: FieldDescriptor) -> Callable[[Any], Any]:
    kind = field.type
    if kind == _F.TYPE_STRING:
        return _string
    if kind == _F.TYPE_BOOL:
        return _bool
    if kind in _INT_RANGES:
        return _int_decoder(*_INT_RANGES[kind])
    if kind in (_F.TYPE_DOUBLE, _F.TYPE_FLOAT):
        return _float_decoder(kind == _F.TYPE_FLOAT)
    if kind == _F.TYPE_BYTES:
        return _bytes
    if kind == _F.TYPE_ENUM:
        if field.enum_type.full_name == "google.protobuf.NullValue":
            return lambda value: 0
        return _enum_decoder(field)
    raise TypeError(f"unsupported field type {kind} of {field.full_name}")


def _any(value: Any) -> Message:
    try:
        return json_format.ParseDict(value, any_pb2.Any())
    except json_format.ParseError as exc:
        raise JsonError(str(exc)) from None


def _message_value_decoder(desc: Descriptor) -> Callable[[Any], Any]:
    name = desc.full_name
    if name in WKT_DECODERS:
        return WKT_DECODERS[name]
    if name in WRAPPERS:
        inner = _scalar_decoder(desc.fields_by_name["value"])
        return lambda value: {"value": inner(value)}
    if name == "google.protobuf.Any":
        return _any
    return lambda value: _message_decoder(desc)(value)  # late-bound: messages may be recursive


def _single_decoder(field: FieldDescriptor) -> Callable[[Any], Any]:
    if field.type == _F.TYPE_MESSAGE:
        return _message_value_decoder(field.message_type)
    return _scalar_decoder(field)


def _map_key_decoder(field: FieldDescriptor) -> Callable[[str], Any]:
    if field.type == _F.TYPE_BOOL:
        def decode_bool(key: str) -> bool:
            if key not in ("true", "false"):
                raise JsonError(f"invalid map key {key!r}: expected true or false")
            return key == "true"
        return decode_bool
    return _scalar_decoder(field)  # strings stay strings; integer keys accept their string form


def _field_decoder(field: FieldDescriptor) -> Callable[[Any], Any]:
    if field.type == _F.TYPE_MESSAGE and field.message_type.GetOptions().map_entry:
        key_of = _map_key_decoder(field.message_type.fields_by_name["key"])
        value_field = field.message_type.fields_by_name["value"]
        value_of = _single_decoder(value_field)
        nullable = value_field.type == _F.TYPE_MESSAGE and value_field.message_type.full_name == "google.protobuf.Value"

        def decode_map(value: Any) -> dict:
            if not isinstance(value, dict):
                raise JsonError("expected a JSON object")
            out = {}
            for key, item in value.items():
                if item is None and not nullable:
                    raise JsonError("null is not allowed as a map value").at(key)
                try:
                    out[key_of(key)] = value_of(item)
                except JsonError as exc:
                    raise exc.at(key) from None
            return out

        return decode_map
    single = _single_decoder(field)
    if not field.is_repeated:
        return single
    nullable = field.type == _F.TYPE_MESSAGE and field.message_type.full_name == "google.protobuf.Value"

    def decode_list(value: Any) -> list:
        if not isinstance(value, list):
            raise JsonError("expected a JSON array")
        out = []
        for i, item in enumerate(value):
            if item is None and not nullable:
                raise JsonError("null is not allowed in a repeated field").at(f"[{i}]")
            try:
                out.append(single(item))
            except JsonError as exc:
                raise exc.at(f"[{i}]") from None
        return out

    return decode_list


def _compile_decoder(desc: Descriptor) -> Callable[[Any], dict]:
    by_key: dict[str, tuple[str, Callable[[Any], Any], str | None, bool]] = {}
    for field in desc.fields:
        oneof = field.containing_oneof.name if field.containing_oneof is not None else None
        keeps_null = field.type == _F.TYPE_MESSAGE and field.message_type.full_name == "google.protobuf.Value" \
            and not field.is_repeated
        keeps_null = keeps_null or (field.type == _F.TYPE_ENUM and field.enum_type.full_name == "google.protobuf.NullValue")
        entry = (field.name, _field_decoder(field), oneof, keeps_null)
        by_key[field.json_name] = entry
        by_key[field.name] = entry
    type_name = desc.full_name

    def decode(obj: Any) -> dict:
        if not isinstance(obj, dict):
            raise JsonError(f"expected a JSON object for {type_name}")
        out: dict[str, Any] = {}
        oneofs: dict[str, str] | None = None
        for key, value in obj.items():
            entry = by_key.get(key)
            if entry is None:
                raise JsonError(f"unknown field {key!r} in {type_name}").at(key)
            name, convert, oneof, keeps_null = entry
            if value is None and not keeps_null:
                continue
            if name in out:
                raise JsonError(f"field {name!r} given twice").at(key)
            if oneof is not None:
                oneofs = oneofs if oneofs is not None else {}
                if oneof in oneofs:
                    raise JsonError(f"only one of the {oneof!r} fields may be set ({oneofs[oneof]!r} and {key!r})")
                oneofs[oneof] = key
            try:
                out[name] = convert(value)
            except JsonError as exc:
                raise exc.at(key) from None
        return out

    return decode


def _compiled(cache: dict[str, Callable], compile_: Callable[[Descriptor], Callable], desc: Descriptor) -> Callable:
    """The function `compile_` makes for a message type, made once per type."""
    fn = cache.get(desc.full_name)
    if fn is None:
        with _lock:
            fn = cache.get(desc.full_name) or compile_(desc)
            cache[desc.full_name] = fn
    return fn


def _message_decoder(desc: Descriptor) -> Callable[[Any], dict]:
    return _compiled(_decoders, _compile_decoder, desc)


def from_json(obj: Any, message_class: type[Message]) -> Message:
    """Parsed JSON (dicts, lists, scalars) -> a message of `message_class`; JsonError if it does not fit."""
    desc = message_class.DESCRIPTOR
    if desc.full_name in WKT_DECODERS or desc.full_name in WRAPPERS or desc.full_name == "google.protobuf.Any":
        try:
            return json_format.ParseDict(obj, message_class())
        except json_format.ParseError as exc:
            raise JsonError(str(exc)) from None
    kwargs = _message_decoder(desc)(obj)
    try:
        return message_class(**kwargs)
    except (TypeError, ValueError) as exc:  # a value the checks above let through
        raise JsonError(str(exc)) from None


def decode_scalar_text(field: FieldDescriptor, text: str) -> Any:
    """A path or query parameter's text -> the JSON value the decoder expects for `field`."""
    target = field
    if field.type == _F.TYPE_MESSAGE and field.message_type.full_name in WRAPPERS:
        target = field.message_type.fields_by_name["value"]
    if target.type == _F.TYPE_BOOL:
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise JsonError(f"expected true or false, got {text!r}")
    if target.type != _F.TYPE_MESSAGE and target.type not in (_F.TYPE_STRING, _F.TYPE_BYTES):
        _scalar_decoder(target)(text)  # numbers and enums: refused here, naming the parameter
    return text  # every other scalar (and Timestamp, Duration, FieldMask) accepts its text form


# ---------------------------------------------------------------------------- encoding


def _identity(value: Any) -> Any:
    return value


def _scalar_encoder(field: FieldDescriptor) -> Callable[[Any], Any] | None:
    """None means the value is already its JSON form."""
    kind = field.type
    if kind in _INT64:
        return str
    if kind == _F.TYPE_DOUBLE:
        return encode_float
    if kind == _F.TYPE_FLOAT:
        return short_float32
    if kind == _F.TYPE_BYTES:
        return lambda value: base64.b64encode(value).decode("ascii")
    if kind == _F.TYPE_ENUM:
        if field.enum_type.full_name == "google.protobuf.NullValue":
            return lambda value: None
        names = {v.number: v.name for v in field.enum_type.values}
        return lambda value: names.get(value, value)
    return None


def _message_value_encoder(desc: Descriptor) -> Callable[[Any], Any]:
    name = desc.full_name
    if name in WKT_ENCODERS:
        return WKT_ENCODERS[name]
    if name in WRAPPERS:
        inner = _scalar_encoder(desc.fields_by_name["value"]) or _identity
        return lambda message: inner(message.value)
    if name == "google.protobuf.Any":
        return lambda message: json_format.MessageToDict(message, always_print_fields_with_no_presence=True)
    return lambda message: _message_encoder(desc)(message)


def _single_encoder(field: FieldDescriptor) -> Callable[[Any], Any] | None:
    if field.type == _F.TYPE_MESSAGE:
        return _message_value_encoder(field.message_type)
    return _scalar_encoder(field)


def _map_key(field: FieldDescriptor) -> Callable[[Any], str]:
    if field.type == _F.TYPE_BOOL:
        return lambda key: "true" if key else "false"
    return str


def _compile_encoder(desc: Descriptor) -> Callable[[Message], dict]:
    plan: list[tuple[str, str, int, Callable[[Any], Any] | None, Callable[[Any], str] | None]] = []
    for field in desc.fields:
        if field.type == _F.TYPE_MESSAGE and field.message_type.GetOptions().map_entry:
            entry = field.message_type
            plan.append((field.name, field.json_name, 3, _single_encoder(entry.fields_by_name["value"]),
                         _map_key(entry.fields_by_name["key"])))
        elif field.is_repeated:
            plan.append((field.name, field.json_name, 2, _single_encoder(field), None))
        elif field.has_presence:
            plan.append((field.name, field.json_name, 1, _single_encoder(field), None))
        else:
            plan.append((field.name, field.json_name, 0, _single_encoder(field), None))
    steps = tuple(plan)

    def encode(message: Message) -> dict:
        out: dict[str, Any] = {}
        for name, key, mode, convert, key_of in steps:
            if mode == 0:
                value = getattr(message, name)
                out[key] = convert(value) if convert is not None else value
            elif mode == 1:
                if message.HasField(name):
                    value = getattr(message, name)
                    out[key] = convert(value) if convert is not None else value
            elif mode == 2:
                values = getattr(message, name)
                out[key] = [convert(v) for v in values] if convert is not None else list(values)
            else:
                items = getattr(message, name)
                out[key] = {key_of(k): (convert(v) if convert is not None else v) for k, v in items.items()}
        return out

    return encode


def _message_encoder(desc: Descriptor) -> Callable[[Message], dict]:
    return _compiled(_encoders, _compile_encoder, desc)


def to_json(message: Message) -> Any:
    """A message -> its proto3 JSON value (a dict for ordinary messages), unpopulated fields included."""
    return _message_value_encoder(message.DESCRIPTOR)(message)
