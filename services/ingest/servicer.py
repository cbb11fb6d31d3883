"""IngestService over gRPC: thin handlers over the rail.

Requests are decoded by a tolerant deserializer, so a body that is not a valid message
reaches the handler (after authentication) and is refused as INVALID_ARGUMENT naming the
problem, instead of gRPC's bare INTERNAL; it also hands over the request's size in bytes.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import grpc
from google.protobuf.message import DecodeError
from partneros.ingest.v1 import ingest_pb2 as pb

from libs.auth import current_principal
from libs.errors import InvalidArgument
from libs.pagination import decode_token, encode_token, page_size
from services.ingest import convert, quarantine
from services.ingest.formats.native import decode_event
from services.ingest.rail import IngestRail

__all__ = ["IngestServicer", "generic_handler", "SERVICE_NAME"]

SERVICE_NAME = "partneros.ingest.v1.IngestService"


class Received(NamedTuple):
    message: Any
    size: int


class Malformed(NamedTuple):
    type_name: str
    error: str


def _unwrap(received: Received | Malformed) -> tuple[Any, int]:
    if isinstance(received, Malformed):
        raise InvalidArgument(f"the request body is not a valid {received.type_name}: {received.error}",
                              reason="MALFORMED_REQUEST")
    return received.message, received.size


class IngestServicer:
    """Handlers of IngestService; each call's principal comes from the interceptor."""

    def __init__(self, rail: IngestRail, engine) -> None:  # noqa: ANN001
        self._rail = rail
        self._engine = engine

    def IngestEvents(self, received, context) -> pb.IngestEventsResponse:  # noqa: ANN001, N802
        request, size = _unwrap(received)
        return self._rail.ingest(current_principal(), request, size, convert.batch_response)

    def RecordEvent(self, received, context) -> pb.EventResult:  # noqa: ANN001, N802
        request, _ = _unwrap(received)
        event = self._rail.record(current_principal(), decode_event(0, request.event))
        return convert.result(event)

    def ListQuarantinedEvents(self, received, context) -> pb.ListQuarantinedEventsResponse:  # noqa: ANN001, N802
        request, _ = _unwrap(received)
        limit = page_size(request.page_size)
        after = str(decode_token(request.page_token).get("after", ""))
        rows = quarantine.page(self._engine, current_principal().tenant_id, after_id=after, limit=limit + 1,
                               include_replayed=request.include_replayed)
        token = encode_token({"after": rows[limit - 1].id}) if len(rows) > limit else ""
        return pb.ListQuarantinedEventsResponse(
            quarantined_events=[convert.quarantined_event(row) for row in rows[:limit]], next_page_token=token)

    def ReplayQuarantinedEvents(self, received, context) -> pb.ReplayQuarantinedEventsResponse:  # noqa: ANN001, N802
        request, _ = _unwrap(received)
        return convert.replay_response(self._rail.replay(current_principal(), list(request.ids)))


def _tolerant(message_type: type) -> Callable[[bytes], Received | Malformed]:
    def deserialize(data: bytes) -> Received | Malformed:
        try:
            return Received(message_type.FromString(data), len(data))
        except DecodeError as exc:
            return Malformed(message_type.DESCRIPTOR.full_name, str(exc) or "undecodable")

    return deserialize


def generic_handler(servicer: IngestServicer) -> tuple[grpc.GenericRpcHandler, dict[str, grpc.RpcMethodHandler]]:
    """The service's method handlers (for registration) and a generic handler over them."""
    methods = {
        "IngestEvents": (pb.IngestEventsRequest, pb.IngestEventsResponse),
        "RecordEvent": (pb.RecordEventRequest, pb.EventResult),
        "ListQuarantinedEvents": (pb.ListQuarantinedEventsRequest, pb.ListQuarantinedEventsResponse),
        "ReplayQuarantinedEvents": (pb.ReplayQuarantinedEventsRequest, pb.ReplayQuarantinedEventsResponse),
    }
    handlers = {
        name: grpc.unary_unary_rpc_method_handler(getattr(servicer, name), request_deserializer=_tolerant(req),
                                                  response_serializer=resp.SerializeToString)
        for name, (req, resp) in methods.items()
    }
    return grpc.method_handlers_generic_handler(SERVICE_NAME, handlers), handlers
