"""ClickHouse tables, created idempotently. The same DDL runs on chDB and on a server."""
from __future__ import annotations

__all__ = ["ensure_schema", "EVENTS_TABLE", "DDL"]

EVENTS_TABLE = "events"

# Tenant and partner lead the sort key, so a partner-scoped query reads only that partner's
# granules. partner_id is the customer's partner at event time. properties is the JSON payload.
DDL = [
    f"""
    CREATE TABLE IF NOT EXISTS {EVENTS_TABLE} (
        tenant_id LowCardinality(String),
        partner_id String,
        customer_id String,
        event_id String,
        name LowCardinality(String),
        ts DateTime64(3, 'UTC'),
        received_at DateTime64(3, 'UTC'),
        source LowCardinality(String),
        properties String CODEC(ZSTD(1))
    )
    ENGINE = ReplacingMergeTree
    ORDER BY (tenant_id, partner_id, name, ts, customer_id, event_id)
    """,
]


def ensure_schema(client) -> None:  # noqa: ANN001
    """Create every table that does not exist yet; safe to run on every start."""
    for statement in DDL:
        client.command(statement)
