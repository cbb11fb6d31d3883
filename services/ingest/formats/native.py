"""The native format: the request's repeated EventInput messages."""
from __future__ import annotations

from libs.errors import InvalidArgument
from services.ingest.formats.base import RawEvent
from services.ingest.props import struct_to_json

__all__ = ["FORMAT", "NativeFormat"]


class NativeFormat:
    """Reads `events`; `data` must be empty."""

    name = "native"

    def decode(self, request) -> list[RawEvent]:  # noqa: ANN001 - IngestEventsRequest
        if request.data:
            raise InvalidArgument("the native format reads `events`; `data` must be empty",
                                  reason="MALFORMED_BATCH", field="data")
        return [decode_event(i, e) for i, e in enumerate(request.events)]

    def properties(self, payload) -> str:  # noqa: ANN001 - google.protobuf.Struct
        return struct_to_json(payload)


def decode_event(index: int, e) -> RawEvent:  # noqa: ANN001 - EventInput
    """One EventInput as a RawEvent, its properties Struct left in `payload` (also for RecordEvent)."""
    raw = RawEvent(index, e.event_id, e.name, size=e.ByteSize())
    customer = e.customer
    kind = customer.WhichOneof("ref")
    if kind is not None:
        raw.ref_kind, raw.ref_value = kind, getattr(customer, kind)
    if e.HasField("timestamp"):
        t = e.timestamp
        raw.ts_ms = t.seconds * 1000 + t.nanos // 1_000_000
    if e.HasField("properties"):
        raw.payload = e.properties
    return raw


FORMAT = NativeFormat()
