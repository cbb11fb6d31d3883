"""Event records and quarantine rows -> response messages."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from google.protobuf import timestamp_pb2
from partneros.ingest.v1 import ingest_pb2 as pb

from libs.payload import payload_fields
from services.ingest.event import ACCEPTED, DUPLICATE, QUARANTINED, REJECTED, Event

__all__ = ["result", "batch_response", "replay_response", "quarantined_event"]


def result(ev: Event) -> pb.EventResult:
    if ev.reason:
        return pb.EventResult(index=ev.index, event_id=ev.event_id, status=ev.status, reason=ev.reason,
                              message=ev.message)
    return pb.EventResult(index=ev.index, event_id=ev.event_id, status=ev.status)


def _counts(events: Sequence[Event]) -> dict[int, int]:
    counts = {ACCEPTED: 0, DUPLICATE: 0, QUARANTINED: 0, REJECTED: 0}
    for ev in events:
        counts[ev.status] += 1
    return counts


def batch_response(events: Sequence[Event]) -> pb.IngestEventsResponse:
    counts = _counts(events)
    response = pb.IngestEventsResponse(
        accepted_count=counts[ACCEPTED], duplicate_count=counts[DUPLICATE],
        quarantined_count=counts[QUARANTINED], rejected_count=counts[REJECTED],
    )
    add = response.results.add  # built in place: about half the cost of messages then a copy
    for ev in events:
        if ev.reason:
            add(index=ev.index, event_id=ev.event_id, status=ev.status, reason=ev.reason, message=ev.message)
        else:
            add(index=ev.index, event_id=ev.event_id, status=ev.status)
    return response


def replay_response(events: Sequence[Event]) -> pb.ReplayQuarantinedEventsResponse:
    counts = _counts(events)
    return pb.ReplayQuarantinedEventsResponse(results=[result(ev) for ev in events],
                                              replayed_count=counts[ACCEPTED], pending_count=counts[QUARANTINED])


def _timestamp(value: dt.datetime | None = None, ms: int | None = None) -> timestamp_pb2.Timestamp:
    stamp = timestamp_pb2.Timestamp()
    if ms is not None:
        stamp.FromMilliseconds(ms)
    elif value is not None:
        stamp.FromDatetime(value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc))
    return stamp


def quarantined_event(row) -> pb.QuarantinedEvent:  # noqa: ANN001 - a quarantined_events row
    event = pb.EventInput(event_id=row.event_id, name=row.name, customer=pb.CustomerRef(**{row.ref_kind: row.ref_value}),
                          timestamp=_timestamp(ms=row.ts_ms), **payload_fields(row.properties))
    out = pb.QuarantinedEvent(id=row.id, event=event, reason=row.reason, message=row.message,
                              receive_time=_timestamp(row.receive_time), machine_key_id=row.machine_key_id,
                              event_id=row.event_id)
    if row.replay_time is not None:
        out.replay_time.CopyFrom(_timestamp(row.replay_time))
    return out
