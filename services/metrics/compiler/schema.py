"""What the compiler knows of the tables it may query: columns and the guard columns."""
from __future__ import annotations

from dataclasses import dataclass

from libs.clickhouse.schema import EVENTS_TABLE

__all__ = ["TableSchema", "EVENTS", "TABLES"]


@dataclass(frozen=True)
class TableSchema:
    """A queryable table: its columns, which ones carry tenant/partner/customer, the payload."""

    name: str
    columns: frozenset[str]
    tenant_column: str
    partner_column: str
    customer_column: str
    time_column: str
    received_column: str
    payload_column: str
    # Read with FINAL (collapse rows written twice at query time)? Costly on unmerged parts.
    final: bool


EVENTS = TableSchema(
    name=EVENTS_TABLE,
    columns=frozenset({"tenant_id", "partner_id", "customer_id", "event_id", "name", "ts", "received_at",
                       "source", "properties"}),
    tenant_column="tenant_id",
    partner_column="partner_id",
    customer_column="customer_id",
    time_column="ts",
    received_column="received_at",
    payload_column="properties",
    # Not for events: ingest stores each event once (dedupe under a lock against the event_ids
    # index), so FINAL would only re-check that, at 5-7x the cost of the query on unmerged parts
    # (bench/README.md). The ReplacingMergeTree still collapses any stray copy on merge.
    final=False,
)

TABLES = {EVENTS.name: EVENTS}
