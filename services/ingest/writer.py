"""Puts resolved events on the stream: dedupe under the lock, one insert, acknowledge after.

An event is ACCEPTED only once ClickHouse has confirmed the insert that holds it; any failure
of the event store raises UNAVAILABLE and nothing of the call is acknowledged. A retry then
finds the events that did land and reports them DUPLICATE.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence

from libs.clickhouse import ClientPool
from libs.clickhouse.schema import EVENT_COLUMNS, EVENT_IDS_TABLE, EVENTS_TABLE
from libs.errors import ApiError, Unavailable
from services.ingest.event import ACCEPTED, DUPLICATE, Event
from services.ingest.ids import dedupe_key
from services.ingest.locks import DedupeLocks

__all__ = ["EventWriter", "to_json_rows"]

log = logging.getLogger(__name__)

_enc = json.encoder.encode_basestring  # the C string encoder
_LOOKUP = (f"SELECT key, customer_id, event_id FROM {EVENT_IDS_TABLE} "
           "WHERE tenant_id = {tenant:String} AND key IN {keys:Array(UInt64)}")


def _seconds(ms: int) -> str:
    """Epoch ms as a decimal seconds number: how JSONEachRow reads DateTime64(3) exactly."""
    return f"{ms // 1000}.{ms % 1000:03d}"


def to_json_rows(tenant_id: str, events: Sequence[Event], received_ms: int, source: str, actor_id: str) -> bytes:
    """The events as JSONEachRow, columns in EVENT_COLUMNS order."""
    head = f'{{"tenant_id":{_enc(tenant_id)},"partner_id":'
    tail = f',"received_at":{_seconds(received_ms)},"source":{_enc(source)},"properties":'
    actor = f',"actor_id":{_enc(actor_id)}}}'
    ids: dict[str, str] = {}  # partner and customer ids repeat within a batch: encode once

    def enc_id(value: str) -> str:
        out = ids.get(value)
        if out is None:
            out = ids[value] = _enc(value)
        return out

    lines = [
        f'{head}{enc_id(ev.partner_id)},"customer_id":{enc_id(ev.customer_id)},"event_id":{_enc(ev.event_id)},'
        f'"name":{_enc(ev.name)},"ts":{_seconds(ev.ts_ms)}{tail}{_enc(ev.properties)}{actor}'
        for ev in events
    ]
    return "\n".join(lines).encode()


assert EVENT_COLUMNS == ("tenant_id", "partner_id", "customer_id", "event_id", "name", "ts", "received_at",
                         "source", "properties", "actor_id")


class EventWriter:
    """Dedupe + insert for one tenant's resolved events."""

    def __init__(self, pool: Callable[[], ClientPool], locks: DedupeLocks) -> None:
        self._pool = pool
        self._locks = locks

    def write(self, tenant_id: str, events: Sequence[Event], *, received_ms: int, source: str,
              actor_id: str) -> None:
        """Settle each event ACCEPTED or DUPLICATE; raise Unavailable if the store fails."""
        fresh: list[Event] = []
        seen: dict[int, list[Event]] = {}
        for ev in events:
            ev.key = dedupe_key(ev.customer_id, ev.event_id)
            twins = seen.setdefault(ev.key, [])
            if any(t.customer_id == ev.customer_id and t.event_id == ev.event_id for t in twins):
                ev.settle(DUPLICATE, "DUPLICATE_IN_BATCH", "an earlier event of this batch has the same event id")
                continue
            twins.append(ev)
            fresh.append(ev)
        if not fresh:
            return
        try:
            pool = self._pool()
            with self._locks.hold(tenant_id, seen), pool.client() as client:
                stored = self._stored(client, tenant_id, list(seen))
                new = [ev for ev in fresh if (ev.customer_id, ev.event_id) not in stored]
                if new:
                    client.raw_insert(EVENTS_TABLE, column_names=list(EVENT_COLUMNS),
                                      insert_block=to_json_rows(tenant_id, new, received_ms, source, actor_id),
                                      fmt="JSONEachRow")
        except ApiError:
            raise
        except Exception as exc:  # the event store failed: nothing of this call is acknowledged
            log.warning("event store failure, %d events not acknowledged: %s", len(fresh), exc)
            raise Unavailable("the event store is unavailable; nothing was stored, retry later",
                              reason="EVENT_STORE_UNAVAILABLE") from exc
        for ev in fresh:
            if (ev.customer_id, ev.event_id) in stored:
                ev.settle(DUPLICATE, "ALREADY_STORED", "an event with this event id is stored already")
            else:
                ev.settle(ACCEPTED)

    @staticmethod
    def _stored(client, tenant_id: str, keys: list[int]) -> set[tuple[str, str]]:  # noqa: ANN001
        result = client.query(_LOOKUP, parameters={"tenant": tenant_id, "keys": keys})
        return {(cid, eid) for _key, cid, eid in result.result_rows}
