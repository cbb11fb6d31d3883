"""The one mutable record an event is while it passes through the rail.

Formats fill the decoded fields; validation, resolution and the writer fill the rest. One
object per event, no copies: the hot path handles thousands per call.
"""
from __future__ import annotations

from partneros.ingest.v1 import ingest_pb2 as pb

__all__ = ["Event", "ACCEPTED", "DUPLICATE", "QUARANTINED", "REJECTED"]

ACCEPTED = pb.EVENT_STATUS_ACCEPTED
DUPLICATE = pb.EVENT_STATUS_DUPLICATE
QUARANTINED = pb.EVENT_STATUS_QUARANTINED
REJECTED = pb.EVENT_STATUS_REJECTED


class Event:
    """An event on its way: decoded input, then verdict and resolution.

    `ts_ms` is epoch milliseconds (the client's, or the receive time once validated);
    `properties` canonical JSON object text (or `payload` still to convert by the format);
    `error` a decode failure (reason, field, message);
    `status` 0 while undecided.
    """

    __slots__ = ("index", "event_id", "name", "ref_kind", "ref_value", "ts_ms", "properties", "payload", "size",
                 "error", "status", "reason", "message", "customer_id", "partner_id")

    def __init__(self, index: int, event_id: str = "", name: str = "", ref_kind: str = "", ref_value: str = "",
                 ts_ms: int | None = None, properties: str | None = None, size: int = 0,
                 error: tuple[str, str, str] | None = None) -> None:
        self.index = index
        self.event_id = event_id
        self.name = name
        self.ref_kind = ref_kind
        self.ref_value = ref_value
        self.ts_ms = ts_ms
        self.properties = properties
        self.payload = None  # the payload as decoded, when the format converts it later
        self.size = size
        self.error = error
        self.status = 0
        self.reason = ""
        self.message = ""
        self.customer_id = ""
        self.partner_id = ""

    def settle(self, status: int, reason: str = "", message: str = "") -> None:
        self.status, self.reason, self.message = status, reason, message
