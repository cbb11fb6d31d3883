"""The native format: the request's repeated EventInput messages."""
from __future__ import annotations

from libs.errors import InvalidArgument
from services.ingest.formats.base import RawEvent
from services.ingest.props import PropertyError, struct_to_json

__all__ = ["FORMAT", "NativeFormat"]


class NativeFormat:
    """Reads `events`; `data` must be empty."""

    name = "native"

    def decode(self, request) -> list[RawEvent]:  # noqa: ANN001 - IngestEventsRequest
        if request.data:
            raise InvalidArgument("the native format reads `events`; `data` must be empty",
                                  reason="MALFORMED_BATCH", field="data")
        return [decode_event(i, e) for i, e in enumerate(request.events)]


def decode_event(index: int, e) -> RawEvent:  # noqa: ANN001 - EventInput
    """One EventInput as a RawEvent (also used by RecordEvent and the quarantine listing)."""
    raw = RawEvent(index, e.event_id, e.name, size=e.ByteSize())
    customer = e.customer
    kind = customer.WhichOneof("ref")
    if kind is not None:
        raw.ref_kind, raw.ref_value = kind, getattr(customer, kind)
    if e.HasField("timestamp"):
        t = e.timestamp
        raw.ts_ms = t.seconds * 1000 + t.nanos // 1_000_000
    if e.HasField("properties"):
        try:
            raw.properties = struct_to_json(e.properties)
        except PropertyError as exc:
            raw.error = ("INVALID_PROPERTIES", f"properties.{exc.path}", exc.detail)
    return raw


FORMAT = NativeFormat()
