"""Payloads -> canonical JSON object text, fast enough for the hot path.

A payload comes as a google.protobuf.Struct (`properties`) or as JSON text (`properties_json`).

The text is built directly (no intermediate dict): reading a Struct costs about a microsecond
per value from Python, and this is the largest share of the rail's own work per event.

Canonical means sorted keys and compact separators, and numbers and strings written exactly as
orjson writes them, whichever way the payload came, so equal payloads give equal text (the
content-derived event id hashes it). A Struct's whole numbers within ±2**53 (where a double is
exact) are written as integers: JSON clients send `"seats": 3`, the Struct carries 3.0, and the
stream should say 3 again. JSON text keeps its numbers as written (`3.0` stays `3.0`): making
it agree with a Struct there would cost a walk over every payload on the hot path, for a retry
that switches fields (README: Ingest).
"""
from __future__ import annotations

import json
import math

import orjson

__all__ = ["struct_to_json", "PropertyError", "python_to_json", "json_text_to_json", "canonical", "MAX_DEPTH"]

MAX_DEPTH = 254  # nesting levels of a payload that orjson writes (a Struct's own limit is lower: 32)
_SAFE_INT = 2 ** 53
_strict = json.JSONEncoder(allow_nan=False).encode  # only to refuse NaN and infinity
_float = orjson.dumps
_SORTED = orjson.OPT_SORT_KEYS
_enc = json.encoder.encode_basestring  # C-accelerated JSON string literal, non-ASCII kept


class PropertyError(ValueError):
    """A payload JSON cannot carry (NaN, infinity, text that is not a JSON object); `field` is
    the request field that held it, `path` the place inside it ('' for the whole payload)."""

    def __init__(self, path: str, message: str, field: str = "properties") -> None:
        super().__init__(f"{path}: {message}")
        self.path, self.detail, self.field = path, message, field

    @property
    def where(self) -> str:
        """The offending field, e.g. 'properties.plan.seats' or 'properties_json'."""
        return f"{self.field}.{self.path}" if self.path else self.field


def _value(v) -> str:  # noqa: ANN001 - google.protobuf.Value
    kind = v.WhichOneof("kind")
    if kind == "string_value":
        return _enc(v.string_value)
    if kind == "number_value":
        n = v.number_value
        if n.is_integer() and -_SAFE_INT < n < _SAFE_INT:
            return str(int(n))
        if math.isfinite(n):
            return _float(n).decode()  # the shortest text that round-trips, written as orjson writes it
        raise PropertyError("", "numbers must be finite (no NaN or infinity)")
    if kind == "bool_value":
        return "true" if v.bool_value else "false"
    if kind == "struct_value":
        return _object(v.struct_value.fields)
    if kind == "list_value":
        return _array(v.list_value.values)
    return "null"  # null_value, or a Value with nothing set


def _object(fields) -> str:  # noqa: ANN001 - a Struct's map<string, Value>
    try:
        parts = []
        for k in sorted(fields):
            v = fields[k]
            if v.WhichOneof("kind") == "string_value":  # the common case, inline
                parts.append(f"{_enc(k)}:{_enc(v.string_value)}")
            else:
                parts.append(f"{_enc(k)}:{_value(v)}")
        return "{" + ",".join(parts) + "}"
    except PropertyError as exc:
        for k in sorted(fields):  # the rare failure: find the key to name it
            try:
                _value(fields[k])
            except PropertyError as inner:
                sep = "." if inner.path and inner.path[0] != "[" else ""
                raise PropertyError(f"{k}{sep}{inner.path}", inner.detail) from None
        raise exc


def _array(values) -> str:  # noqa: ANN001
    try:
        return "[" + ",".join([_value(x) for x in values]) + "]"
    except PropertyError as exc:
        for i, x in enumerate(values):
            try:
                _value(x)
            except PropertyError as inner:
                sep = "." if inner.path and inner.path[0] != "[" else ""
                raise PropertyError(f"[{i}]{sep}{inner.path}", inner.detail) from None
        raise exc


def struct_to_json(struct) -> str:  # noqa: ANN001 - google.protobuf.Struct
    """Canonical JSON text of a Struct; PropertyError for a value JSON cannot carry."""
    return _object(struct.fields)


def python_to_json(value: dict) -> str:
    """Canonical JSON text of an already-decoded JSON object (non-native formats); PropertyError
    for NaN or infinity (which a lenient decoder lets through)."""
    try:
        _strict(value)
    except ValueError as exc:
        raise PropertyError("*", "numbers must be finite (no NaN or infinity)") from exc
    return canonical(value)


def canonical(value: dict, field: str = "properties") -> str:
    """Canonical JSON text of an object decoded strictly (by orjson: finite numbers only);
    PropertyError (naming `field`) for what orjson will not write: nesting deeper than
    MAX_DEPTH, or an integer outside 64 bits (a lenient decoder lets those through)."""
    try:
        return orjson.dumps(value, option=_SORTED).decode()
    except orjson.JSONEncodeError as exc:
        detail = f"nests deeper than {MAX_DEPTH} levels" if "ecursion" in str(exc) else f"cannot be stored: {exc}"
        raise PropertyError("", detail, field=field) from None


def json_text_to_json(text: str) -> str:
    """Canonical JSON text of a payload sent as JSON text; PropertyError (naming `properties_json`)
    unless it is one JSON object. Strict: no NaN or infinity (nor numbers that overflow a double),
    no unpaired surrogates, nesting within MAX_DEPTH levels. Integers beyond 64 bits become doubles."""
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise PropertyError("", f"is not valid JSON: {exc}", field="properties_json") from None
    if type(value) is not dict:
        raise PropertyError("", f"must be a JSON object, not {_json_kind(value)}", field="properties_json")
    return canonical(value, "properties_json")


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "an array"}.get(
        type(value), type(value).__name__)
