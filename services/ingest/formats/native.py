"""The native format: the request's repeated EventInput messages."""
from __future__ import annotations

from libs.errors import InvalidArgument
from services.ingest.formats.base import RawEvent
from services.ingest.props import json_text_to_json, struct_to_json

__all__ = ["FORMAT", "NativeFormat"]


class NativeFormat:
    """Reads `events`; `data` must be empty."""

    name = "native"

    def decode(self, request) -> list[RawEvent]:  # noqa: ANN001 - IngestEventsRequest
        if request.data:
            raise InvalidArgument("the native format reads `events`; `data` must be empty",
                                  reason="MALFORMED_BATCH", field="data")
        return list(map(decode_event, range(len(request.events)), request.events))

    def event_ids(self, request) -> list[str]:  # noqa: ANN001 - IngestEventsRequest
        """The client event ids, read without decoding the events (the rail looks them up early)."""
        return [e.event_id for e in request.events if e.event_id]

    def properties(self, payload) -> str:  # noqa: ANN001 - a Struct, or the text of properties_json
        if type(payload) is str:
            return json_text_to_json(payload)
        return struct_to_json(payload)


def decode_event(index: int, e) -> RawEvent:  # noqa: ANN001 - EventInput
    """One EventInput as a RawEvent, its payload (a Struct, or the text of properties_json) left in
    `payload` for `NativeFormat.properties` (also for RecordEvent). Positional arguments and few
    message accesses: this runs once per event of every batch."""
    raw = RawEvent(index, e.event_id, e.name, "", "", None, None, e.ByteSize())
    customer = e.customer
    kind = customer.WhichOneof("ref")
    if kind is not None:
        raw.ref_kind = kind
        raw.ref_value = customer.external_id if kind == "external_id" else getattr(customer, kind)
    if e.HasField("timestamp"):
        t = e.timestamp
        nanos = t.nanos
        if not 0 <= nanos < 1_000_000_000:  # a Timestamp's own rule; out of it, the time is not meant
            raw.error = ("INVALID_TIMESTAMP", "timestamp.nanos", "must be from 0 to 999,999,999")
        raw.ts_ms = t.seconds * 1000 + nanos // 1_000_000
    payload = e.WhichOneof("payload")
    if payload is not None:
        raw.payload = e.properties_json if payload == "properties_json" else e.properties
    return raw


FORMAT = NativeFormat()
