"""Small builders for ingest tests: events, stubs, and reading back what the stream holds."""
from __future__ import annotations

import datetime as dt
from typing import Any

import grpc
import pytest
from google.protobuf import struct_pb2, timestamp_pb2
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from partneros.ingest.v1 import ingest_pb2 as pb
from partneros.ingest.v1 import ingest_pb2_grpc

from tests.conftest import bearer

__all__ = ["event", "stub", "call", "stored", "stored_count", "ts", "error_of", "fails", "UTC"]

UTC = dt.timezone.utc


def ts(value: dt.datetime) -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(value)
    return stamp


def event(*, name: str = "activation", event_id: str = "", customer_id: str = "", external_id: str = "",
          email: str = "", at: dt.datetime | None = None, properties: dict[str, Any] | None = None) -> pb.EventInput:
    ref = {k: v for k, v in (("customer_id", customer_id), ("external_id", external_id), ("email", email)) if v}
    out = pb.EventInput(event_id=event_id, name=name, customer=pb.CustomerRef(**ref))
    if at is not None:
        out.timestamp.CopyFrom(ts(at))
    if properties is not None:
        struct = struct_pb2.Struct()
        struct.update(properties)
        out.properties.CopyFrom(struct)
    return out


def stub(channel) -> ingest_pb2_grpc.IngestServiceStub:  # noqa: ANN001
    return ingest_pb2_grpc.IngestServiceStub(channel)


def call(channel, token: str, events: list[pb.EventInput], *, timeout: float = 30,  # noqa: ANN001
         **kwargs: Any) -> pb.IngestEventsResponse:
    """IngestEvents with a machine key; `kwargs` go to the request."""
    return stub(channel).IngestEvents(pb.IngestEventsRequest(events=events, **kwargs), metadata=bearer(token),
                                      timeout=timeout)


def stored(host, tenant_id: str) -> list[dict[str, Any]]:  # noqa: ANN001
    """Every stored event row of the tenant (as the metrics engine would read them, FINAL)."""
    with host.context.clickhouse.client() as client:
        result = client.query(
            "SELECT partner_id, customer_id, event_id, name, toUnixTimestamp64Milli(ts) AS ts_ms, "
            "toUnixTimestamp64Milli(received_at) AS received_ms, source, properties, actor_id "
            "FROM events FINAL WHERE tenant_id = {t:String} ORDER BY ts, event_id",
            parameters={"t": tenant_id})
        return [dict(zip(result.column_names, row)) for row in result.result_rows]


def stored_count(host, tenant_id: str) -> int:  # noqa: ANN001
    """Rows of the tenant as physically stored (no FINAL): duplicates would show here."""
    with host.context.clickhouse.client() as client:
        return int(client.command("SELECT count() FROM events WHERE tenant_id = {t:String}",
                                  parameters={"t": tenant_id}))


def error_of(err: grpc.RpcError) -> tuple[grpc.StatusCode, str, dict[str, str], str]:
    """(code, ErrorInfo reason, ErrorInfo metadata, message) of a failed call."""
    status = rpc_status.from_call(err)
    assert status is not None, f"no google.rpc.Status on {err!r}"
    for detail in status.details:
        info = error_details_pb2.ErrorInfo()
        if detail.Unpack(info):
            return err.code(), info.reason, dict(info.metadata), status.message
    raise AssertionError(f"no ErrorInfo in {status}")


def fails(method, request, **kwargs: Any) -> tuple[grpc.StatusCode, str, dict[str, str], str]:  # noqa: ANN001
    """Run a call that must fail; its code, reason, metadata and message."""
    with pytest.raises(grpc.RpcError) as caught:
        method(request, **kwargs)
    return error_of(caught.value)
