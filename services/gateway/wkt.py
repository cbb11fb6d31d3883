"""Proto3 JSON forms of the well-known types the codec meets (Timestamp, Duration, Struct...).

Decoders return what a message constructor accepts (a dict of fields, a native dict for Struct);
encoders return plain JSON values. Timestamps take a fast path for the common RFC 3339 shapes.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
import struct as _struct
from collections.abc import Callable
from typing import Any

from google.protobuf import duration_pb2, field_mask_pb2, timestamp_pb2

__all__ = ["JsonError", "WKT_DECODERS", "WKT_ENCODERS", "FAST_TIMESTAMP", "encode_timestamp", "decode_timestamp",
           "encode_float", "short_float32", "WRAPPERS"]


class JsonError(ValueError):
    """A JSON value that does not fit the message; `path` names where."""

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message)
        self.message, self.path = message, path

    def at(self, key: str) -> "JsonError":
        """Prefix the path with the key (or "[i]" index) it was found under: events[0].name."""
        if not self.path:
            self.path = key
        elif self.path.startswith("["):
            self.path = key + self.path
        else:
            self.path = f"{key}.{self.path}"
        return self

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)
# Seconds plus up to microseconds, then Z or an offset: what datetime.fromisoformat reads exactly.
FAST_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)\Z")


def decode_timestamp(value: Any) -> dict[str, int]:
    """RFC 3339 string -> Timestamp fields."""
    if not isinstance(value, str):
        raise JsonError("expected an RFC 3339 timestamp string")
    if FAST_TIMESTAMP.match(value):
        try:
            delta = _dt.datetime.fromisoformat(value) - _EPOCH
        except ValueError as exc:
            raise JsonError(f"invalid timestamp {value!r}: {exc}") from None
        seconds = delta.days * 86400 + delta.seconds
        if not -62135596800 <= seconds <= 253402300799:
            raise JsonError(f"timestamp {value!r} out of range")
        return {"seconds": seconds, "nanos": delta.microseconds * 1000}
    ts = timestamp_pb2.Timestamp()
    try:
        ts.FromJsonString(value)
    except ValueError as exc:
        raise JsonError(f"invalid timestamp {value!r}: {exc}") from None
    return {"seconds": ts.seconds, "nanos": ts.nanos}


def encode_timestamp(ts: timestamp_pb2.Timestamp) -> str:
    """Timestamp -> RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits (as json_format)."""
    seconds, nanos = ts.seconds, ts.nanos
    try:
        base = (_EPOCH + _dt.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S")
    except OverflowError:
        return ts.ToJsonString()
    if len(base) != 19:  # years before 1000 print short on some platforms
        return ts.ToJsonString()
    if nanos == 0:
        return base + "Z"
    if nanos % 1_000_000 == 0:
        return f"{base}.{nanos // 1_000_000:03d}Z"
    if nanos % 1000 == 0:
        return f"{base}.{nanos // 1000:06d}Z"
    return f"{base}.{nanos:09d}Z"


def _decode_duration(value: Any) -> dict[str, int]:
    if not isinstance(value, str):
        raise JsonError("expected a duration string such as \"1.5s\"")
    d = duration_pb2.Duration()
    try:
        d.FromJsonString(value)
    except ValueError as exc:
        raise JsonError(f"invalid duration {value!r}: {exc}") from None
    return {"seconds": d.seconds, "nanos": d.nanos}


def _decode_field_mask(value: Any) -> dict[str, list[str]]:
    if not isinstance(value, str):
        raise JsonError("expected a field mask string such as \"name,description\"")
    mask = field_mask_pb2.FieldMask()
    try:
        mask.FromJsonString(value)
    except ValueError as exc:
        raise JsonError(f"invalid field mask {value!r}: {exc}") from None
    return {"paths": list(mask.paths)}


def _decode_struct(value: Any) -> dict:
    if not isinstance(value, dict):
        raise JsonError("expected a JSON object")
    return value  # the constructor converts a native dict into Struct fields


def decode_value(value: Any) -> dict:
    """Any JSON value -> google.protobuf.Value fields."""
    if value is None:
        return {"null_value": 0}
    if isinstance(value, bool):
        return {"bool_value": value}
    if isinstance(value, (int, float)):
        return {"number_value": value}
    if isinstance(value, str):
        return {"string_value": value}
    if isinstance(value, dict):
        return {"struct_value": value}
    if isinstance(value, list):
        return {"list_value": {"values": [decode_value(v) for v in value]}}
    raise JsonError(f"not a JSON value: {type(value).__name__}")


def _decode_list_value(value: Any) -> dict:
    if not isinstance(value, list):
        raise JsonError("expected a JSON array")
    return {"values": [decode_value(v) for v in value]}


def _decode_empty(value: Any) -> dict:
    if not isinstance(value, dict) or value:
        raise JsonError("expected an empty JSON object")
    return {}


def encode_value(value: Any) -> Any:
    """google.protobuf.Value -> the JSON value it holds."""
    kind = value.WhichOneof("kind")
    if kind == "struct_value":
        return encode_struct(value.struct_value)
    if kind == "list_value":
        return [encode_value(v) for v in value.list_value.values]
    if kind == "number_value":
        number = value.number_value
        if not math.isfinite(number):
            raise ValueError("Value with a non-finite number has no JSON form")
        return number
    if kind in (None, "null_value"):
        return None
    return getattr(value, kind)


def encode_struct(struct: Any) -> dict:
    return {key: encode_value(v) for key, v in struct.fields.items()}


def encode_float(value: float) -> float | str:
    """A double as proto3 JSON: a number, or "NaN" / "Infinity" / "-Infinity"."""
    if math.isfinite(value):
        return value
    if math.isnan(value):
        return "NaN"
    return "Infinity" if value > 0 else "-Infinity"


def short_float32(value: float) -> float | str:
    """A float32 widened to double, printed with the fewest digits that round-trip (as json_format)."""
    if not math.isfinite(value):
        return encode_float(value)
    if value == 0.0:
        return value
    for digits in range(6, 10):
        candidate = float(f"{value:.{digits}g}")
        if _struct.unpack("<f", _struct.pack("<f", candidate))[0] == value:
            return candidate
    return value


# Wrapper full name -> the scalar field type of its `value`.
WRAPPERS = {
    f"google.protobuf.{name}" for name in
    ("DoubleValue", "FloatValue", "Int64Value", "UInt64Value", "Int32Value", "UInt32Value",
     "BoolValue", "StringValue", "BytesValue")
}

WKT_DECODERS: dict[str, Callable[[Any], Any]] = {
    "google.protobuf.Timestamp": decode_timestamp,
    "google.protobuf.Duration": _decode_duration,
    "google.protobuf.FieldMask": _decode_field_mask,
    "google.protobuf.Struct": _decode_struct,
    "google.protobuf.Value": decode_value,
    "google.protobuf.ListValue": _decode_list_value,
    "google.protobuf.Empty": _decode_empty,
}

WKT_ENCODERS: dict[str, Callable[[Any], Any]] = {
    "google.protobuf.Timestamp": encode_timestamp,
    "google.protobuf.Duration": lambda m: m.ToJsonString(),
    "google.protobuf.FieldMask": lambda m: m.ToJsonString(),
    "google.protobuf.Struct": encode_struct,
    "google.protobuf.Value": encode_value,
    "google.protobuf.ListValue": lambda m: [encode_value(v) for v in m.values],
    "google.protobuf.Empty": lambda m: {},
}
