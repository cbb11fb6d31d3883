"""The ingest fast path: a native IngestEvents body forwarded in the rail's "jsonl" format.

Building 1000 `google.protobuf.Struct` payloads costs the gateway more than everything else it
does for a batch, and the rail then turns each Struct back into JSON text. The rail also reads
batches as JSON lines (`format: "jsonl"`, `data`), so for the common, well-formed body the
gateway writes each event as one JSON line instead: no Struct is built or read on either side.

Equivalence with the native path is kept by construction: a batch takes this path only when the
generic decoder would accept it as is (known fields, right types, one customer reference, RFC 3339
timestamps it reads the same way), numbers are normalised as a Struct would carry them (doubles;
integral ones written as integers), and each line is small enough that the rail's per-event size
verdict cannot differ between the two encodings. Anything else returns None: the generic path
decides, with its exact error.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import orjson
from google.protobuf.message import Message

from libs.payload import STRUCT_DEPTH
from services.gateway.wkt import FAST_TIMESTAMP, JsonError, decode_timestamp

__all__ = ["fast_request", "MAX_LINE_BYTES", "MAX_DEPTH"]

# A line this small has a protobuf encoding below the rail's 64 KiB per-event limit whatever it
# holds (a Struct spends at most ~6 bytes per JSON byte), so neither encoding is refused for size.
MAX_LINE_BYTES = 8 * 1024
# Containers a payload nests in at most here: what a Struct carries through protobuf's decoder
# (in an IngestEventsRequest, 33 levels of objects), the bound every response uses too.
MAX_DEPTH = STRUCT_DEPTH
_SAFE_INT = 2**53
_EVENT_KEYS = {"eventId": "event_id", "event_id": "event_id", "name": "name", "customer": "customer",
               "timestamp": "timestamp", "properties": "properties"}
_REF_KEYS = {"customerId": "customer_id", "customer_id": "customer_id", "externalId": "external_id",
             "external_id": "external_id", "email": "email"}


class _Unfit(Exception):
    """The body needs the generic path."""


def _readable_time(value: str) -> bool:
    """Whether the rail's reader and the generic decoder both take `value`, as the same instant:
    the shapes datetime.fromisoformat reads exactly, naming a real date within Timestamp's range."""
    if not FAST_TIMESTAMP.match(value):
        return False
    try:
        dt.datetime.fromisoformat(value)  # a real date (no February 30)
        if value.startswith(("0001-", "9999-")):  # an offset may push it out of Timestamp's range
            decode_timestamp(value)
    except (ValueError, JsonError):
        return False
    return True


def _normalise(container: dict | list, depth: int = 1) -> None:
    """Rewrite numbers in place as a Struct carries them (doubles), written as the rail writes a
    Struct's numbers: integral ones within 2**53 as integers, the rest as doubles. Deeper than a
    Struct in a request decodes (MAX_DEPTH containers), the generic path decides."""
    if depth > MAX_DEPTH:
        raise _Unfit
    items = container.items() if type(container) is dict else enumerate(container)
    for key, value in items:
        kind = type(value)
        if kind is str or kind is bool or value is None:
            continue
        if kind is float:
            if value.is_integer() and -_SAFE_INT < value < _SAFE_INT:
                container[key] = int(value)
        elif kind is int:
            if not -_SAFE_INT < value < _SAFE_INT:
                container[key] = float(value)
        elif kind is dict or kind is list:
            _normalise(value, depth + 1)
        else:
            raise _Unfit


def _event_line(event: Any) -> bytes:
    if type(event) is not dict:
        raise _Unfit
    out: dict[str, Any] = {}
    for key, value in event.items():
        name = _EVENT_KEYS.get(key)
        if name is None or name in out:
            raise _Unfit
        if value is None:
            continue
        if name == "customer":
            if type(value) is not dict:
                raise _Unfit
            refs = {}
            for ref_key, ref in value.items():
                ref_name = _REF_KEYS.get(ref_key)
                if ref_name is None or ref_name in refs:
                    raise _Unfit
                if ref is not None:
                    if type(ref) is not str or not ref:
                        raise _Unfit
                    refs[ref_name] = ref
            if len(refs) > 1:
                raise _Unfit
            value = refs
        elif name == "properties":
            if type(value) is not dict:
                raise _Unfit
            _normalise(value)
        elif type(value) is not str or (name == "timestamp" and not _readable_time(value)):
            raise _Unfit
        out[name] = value
    line = orjson.dumps(out)
    if len(line) > MAX_LINE_BYTES:
        raise _Unfit
    return line


def _ingest_events(body: dict, message_class: type[Message]) -> Message | None:
    events = body.get("events")
    if set(body) != {"events"} or type(events) is not list or not events:
        return None
    try:
        data = b"\n".join([_event_line(e) for e in events])
    except _Unfit:
        return None
    return message_class(format="jsonl", data=data)


_PATHS: dict[str, Callable[[dict, type[Message]], Message | None]] = {
    "/partneros.ingest.v1.IngestService/IngestEvents": _ingest_events,
}


def _enabled(rpc_path: str) -> bool:
    """Whether `rpc_path` has a fast path here (the rail's jsonl format must be installed)."""
    if rpc_path not in _PATHS:
        return False
    from libs.plugins import INGEST_FORMATS, load_plugins

    return "jsonl" in load_plugins(INGEST_FORMATS)  # itself memoised


def fast_request(rpc_path: str, body: dict, message_class: type[Message]) -> Message | None:
    """The request built by the fast path of `rpc_path`, or None to take the generic path."""
    if not _enabled(rpc_path):
        return None
    return _PATHS[rpc_path](body, message_class)
