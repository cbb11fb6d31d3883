"""What an ingest format produces, and how a request's format is chosen."""
from __future__ import annotations

from typing import Any, Protocol

from libs.errors import InvalidArgument
from libs.plugins import INGEST_FORMATS, load_plugins
from services.ingest.event import Event

__all__ = ["RawEvent", "IngestFormat", "format_for", "NATIVE"]

NATIVE = "native"


# What a format produces: an Event with its decoded fields filled.
RawEvent = Event


class IngestFormat(Protocol):
    """A format plugin: `decode` turns an IngestEventsRequest into raw events, in order.

    It raises InvalidArgument only for a malformed envelope (the whole batch is unreadable);
    an undecodable single event becomes a RawEvent with `error` set. A format may leave an
    event's `properties` None and its payload in `payload`: the rail then calls
    `properties(payload)` (raising PropertyError) while it resolves customers in parallel.
    A format may also offer `event_ids(request)`: the client event ids, listed without decoding,
    so that the rail starts looking them up before it decodes.
    """

    name: str

    def decode(self, request: Any) -> list[RawEvent]: ...

    def properties(self, payload: Any) -> str: ...


def format_for(name: str) -> IngestFormat:
    """The format plugin registered under `name` ('' means native)."""
    formats = load_plugins(INGEST_FORMATS)
    chosen = formats.get(name.strip().lower() or NATIVE)
    if chosen is None:
        raise InvalidArgument(f"format {name!r} is not one of {sorted(formats)}", reason="UNKNOWN_FORMAT",
                              field="format", format=name)
    return chosen
