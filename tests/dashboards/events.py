"""Events for the rendering tests, written straight into the ClickHouse events table."""
from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from libs.clickhouse.schema import EVENTS_TABLE

__all__ = ["Event", "insert_events", "utc"]

COLUMNS = ["tenant_id", "partner_id", "customer_id", "event_id", "name", "ts", "received_at", "source", "properties"]


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class Event:
    tenant_id: str
    partner_id: str
    customer_id: str
    name: str
    ts: dt.datetime
    properties: dict


def insert_events(pool, events: Iterable[Event]) -> int:  # noqa: ANN001 - libs.clickhouse.ClientPool
    """Insert `events`; returns how many."""
    rows = [[e.tenant_id, e.partner_id, e.customer_id, uuid.uuid4().hex, e.name, e.ts, e.ts, "api",
             json.dumps(e.properties)] for e in events]
    with pool.client() as client:
        client.insert(EVENTS_TABLE, rows, column_names=COLUMNS)
    return len(rows)
