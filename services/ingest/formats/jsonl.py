"""JSON lines: one JSON object per line in the request's `data`, shaped like EventInput.

    {"event_id": "o-1", "name": "purchase", "customer": {"email": "a@b.c"},
     "timestamp": "2026-03-01T12:00:00Z", "properties": {"amount": 12.5}}

Blank lines are skipped; event positions count the non-blank lines. A line that is not such an
object is rejected on its own.
"""
from __future__ import annotations

import datetime as dt
import json

import orjson

from libs.errors import InvalidArgument
from services.ingest.formats.base import RawEvent
from services.ingest.props import MAX_DEPTH, PropertyError, canonical, python_to_json

__all__ = ["FORMAT", "JsonLinesFormat"]

_REFS = ("customer_id", "external_id", "email")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


class JsonLinesFormat:
    """Reads `data` (UTF-8 JSON lines); `events` must be empty."""

    name = "jsonl"

    def decode(self, request) -> list[RawEvent]:  # noqa: ANN001 - IngestEventsRequest
        if len(request.events):
            raise InvalidArgument("the jsonl format reads `data`; `events` must be empty",
                                  reason="MALFORMED_BATCH", field="events")
        try:
            text = request.data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidArgument(f"data is not UTF-8 (byte {exc.start})", reason="MALFORMED_BATCH",
                                  field="data") from exc
        if text.startswith("\ufeff"):  # a byte order mark some writers put first
            text = text[1:]
        # Lines end at "\n" (or "\r\n"), never at the other breaks str.splitlines() knows: U+2028,
        # U+2029 and U+0085 are legal unescaped inside JSON strings.
        lines = [line for line in text.split("\n") if line.strip()]
        return [_decode_line(i, line) for i, line in enumerate(lines)]

    def properties(self, payload: dict) -> str:
        return python_to_json(payload)


def _encodable(obj: object) -> bool:
    """False when a decoded string holds a lone surrogate (not representable as UTF-8)."""
    try:
        json.dumps(obj, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _fail(raw: RawEvent, reason: str, field: str, message: str) -> RawEvent:
    raw.error = (reason, field, message)
    return raw


def _leap_second(stamp: str) -> dt.datetime | None:
    """RFC 3339 allows a leap second (23:59:60), which datetime cannot hold: it is read as the
    first instant after it, as the Unix clock counts it. None for anything else unreadable."""
    if len(stamp) < 20 or stamp[16:19] != ":60":
        return None
    try:
        return dt.datetime.fromisoformat(f"{stamp[:17]}59{stamp[19:]}".upper()) + dt.timedelta(seconds=1)
    except ValueError:
        return None


def _decode_line(index: int, line: str) -> RawEvent:
    raw = RawEvent(index, size=len(line.encode()))
    strict = True
    try:
        obj = orjson.loads(line)  # strict and fast: finite numbers, paired surrogates only
    except orjson.JSONDecodeError:
        strict = False  # decode leniently, to say exactly what is wrong
        try:
            obj = json.loads(line)
        except ValueError as exc:
            return _fail(raw, "MALFORMED_EVENT", "", f"line {index + 1} is not JSON: {exc.msg}")
        except RecursionError:
            return _fail(raw, "MALFORMED_EVENT", "", f"line {index + 1} nests deeper than {MAX_DEPTH} levels")
        if "\\ud" in line.lower() and not _encodable(obj):
            return _fail(raw, "MALFORMED_EVENT", "", f"line {index + 1} holds an unpaired surrogate escape")
    if not isinstance(obj, dict):
        return _fail(raw, "MALFORMED_EVENT", "", f"line {index + 1} is not a JSON object")
    # Decoded JSON holds exact types, so `type(...) is` is exact, and cheaper than isinstance:
    # this runs for every line of every batch.
    event_id, name = obj.get("event_id"), obj.get("name", "")
    if event_id is None:  # absent or null alike, as for the other optional fields
        event_id = ""
    if type(event_id) is not str:
        return _fail(raw, "MALFORMED_EVENT", "event_id", "must be a string")
    if type(name) is not str:
        return _fail(raw, "MALFORMED_EVENT", "name", "must be a string")
    raw.event_id, raw.name = event_id, name
    customer = obj.get("customer")
    if type(customer) is dict:
        if len(customer) == 1:  # the usual case: one reference
            ((kind, value),) = customer.items()
            refs = [(kind, value)] if value and kind in _REFS else []
        else:
            refs = [(k, customer[k]) for k in _REFS if customer.get(k)]
        if len(refs) > 1:
            return _fail(raw, "CUSTOMER_REF_INVALID", "customer", "names more than one reference")
        if refs:
            if not isinstance(refs[0][1], str):
                return _fail(raw, "CUSTOMER_REF_INVALID", f"customer.{refs[0][0]}", "must be a string")
            raw.ref_kind, raw.ref_value = refs[0]
    elif customer is not None:
        return _fail(raw, "CUSTOMER_REF_INVALID", "customer", "must be an object")
    stamp = obj.get("timestamp")
    if stamp is not None:
        try:  # RFC 3339 allows a lower-case "t" and "z"
            parsed = dt.datetime.fromisoformat(stamp.upper()) if isinstance(stamp, str) else None
        except ValueError:
            parsed = _leap_second(stamp)
        if parsed is None or parsed.tzinfo is None:
            return _fail(raw, "INVALID_TIMESTAMP", "timestamp", "must be RFC 3339 with a zone offset")
        since = parsed - _EPOCH  # floor to the millisecond, in integers (a quarter of `// timedelta`)
        raw.ts_ms = since.days * 86_400_000 + since.seconds * 1000 + since.microseconds // 1000
    props = obj.get("properties")
    if props is not None:
        if not isinstance(props, dict):
            return _fail(raw, "INVALID_PROPERTIES", "properties", "must be a JSON object")
        try:
            raw.properties = canonical(props) if strict else python_to_json(props)
        except PropertyError as exc:
            return _fail(raw, "INVALID_PROPERTIES", "properties", exc.detail)
    return raw


FORMAT = JsonLinesFormat()
