"""google.protobuf.Struct -> canonical JSON object text, fast enough for the hot path.

Canonical means sorted keys and compact separators, so equal payloads give equal text (the
content-derived event id hashes it). Integral numbers are written as integers: JSON clients
send `"seats": 3`, the Struct carries 3.0, and the stream should say 3 again.
"""
from __future__ import annotations

import json
import math

__all__ = ["struct_to_json", "PropertyError", "python_to_json"]

_SAFE_INT = 2 ** 53
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False).encode


class PropertyError(ValueError):
    """A payload value JSON cannot carry (NaN, infinity); `path` names it."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path, self.detail = path, message


def _number(n: float) -> float | int:
    if n.is_integer():
        return int(n) if -_SAFE_INT < n < _SAFE_INT else n
    if math.isfinite(n):
        return n
    raise PropertyError("", "numbers must be finite (no NaN or infinity)")


def _fields(fields) -> dict:  # noqa: ANN001 - a Struct's map<string, Value>
    try:
        return {k: _value(x) for k, x in fields.items()}
    except PropertyError:
        for k, x in fields.items():  # the rare failure: find the key to name it
            try:
                _value(x)
            except PropertyError as exc:
                raise PropertyError(f"{k}{'.' if exc.path and exc.path[0] != '[' else ''}{exc.path}",
                                    exc.detail) from None
        raise


def _list(values) -> list:  # noqa: ANN001
    try:
        return [_value(x) for x in values]
    except PropertyError:
        for i, x in enumerate(values):
            try:
                _value(x)
            except PropertyError as exc:
                sep = "." if exc.path and exc.path[0] != "[" else ""
                raise PropertyError(f"[{i}]{sep}{exc.path}", exc.detail) from None
        raise


def _value(v):  # noqa: ANN001, ANN202 - google.protobuf.Value -> JSON-able
    kind = v.WhichOneof("kind")
    if kind == "string_value":
        return v.string_value
    if kind == "number_value":
        return _number(v.number_value)
    if kind == "bool_value":
        return v.bool_value
    if kind == "struct_value":
        return _fields(v.struct_value.fields)
    if kind == "list_value":
        return _list(v.list_value.values)
    return None  # null_value, or a Value with nothing set


def struct_to_json(struct) -> str:  # noqa: ANN001 - google.protobuf.Struct
    """Canonical JSON text of a Struct; PropertyError for a value JSON cannot carry."""
    return _dumps(_fields(struct.fields))


def python_to_json(value: dict) -> str:
    """Canonical JSON text of an already-decoded JSON object (non-native formats)."""
    try:
        return _dumps(value)
    except ValueError as exc:
        raise PropertyError("*", "numbers must be finite (no NaN or infinity)") from exc
