"""ClickHouse tables, created idempotently. The same DDL runs on chDB and on a server.

`events` is the one event stream every metric reads. `event_id_index` is its idempotency
index: filled by a materialized view on every insert into `events`, sorted by (tenant, hash of
the event id) so the ingest rail can ask "which of these event ids are stored already, and for
which customer?" with a primary-key lookup instead of scanning the tenant's events.
"""
from __future__ import annotations

__all__ = ["ensure_schema", "EVENTS_TABLE", "EVENT_IDS_TABLE", "EVENT_COLUMNS", "DDL", "dedupe_key_sql",
           "reindex_recent_sql"]

EVENTS_TABLE = "events"
EVENT_IDS_TABLE = "event_id_index"

# Insert order of the events columns (the ingest rail writes them all, in this order).
EVENT_COLUMNS = ("tenant_id", "partner_id", "customer_id", "event_id", "name", "ts", "received_at", "source",
                 "properties", "actor_id")


def dedupe_key_sql(event: str = "event_id") -> str:
    """The index key as a ClickHouse expression: the first 8 bytes (little-endian) of
    MD5(event_id). `services.ingest.ids.dedupe_key` computes the same in Python."""
    return f"reinterpretAsUInt64(MD5({event}))"


# - Tenant and partner lead the sort key, so a partner-scoped query reads only that partner's
#   granules; name and ts follow for the usual "this event over this window" filter.
# - partner_id is the customer's partner at event time (resolved at ingest).
# - ReplacingMergeTree over a key that ends in (customer_id, event_id) is the engine-level
#   safety net of idempotency: two copies of one event collapse on merge and under FINAL.
# - No partitioning: historic timestamps are accepted, and a batch spanning years would
#   otherwise write one part per month it touches.
# - actor_id: who put the event on the stream (machine key, operator or partner user id).
# - A minmax index on received_at lets "the rows received lately" be read without a full scan
#   (the ingest rail re-indexes them after a crash: see `reindex_recent_sql`).
DDL = [
    f"""
    CREATE TABLE IF NOT EXISTS {EVENTS_TABLE} (
        tenant_id LowCardinality(String),
        partner_id String,
        customer_id String,
        event_id String,
        name LowCardinality(String),
        ts DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
        received_at DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
        source LowCardinality(String),
        properties String CODEC(ZSTD(1)),
        actor_id LowCardinality(String) DEFAULT '',
        INDEX received_at_window received_at TYPE minmax GRANULARITY 1
    )
    ENGINE = ReplacingMergeTree
    ORDER BY (tenant_id, partner_id, name, ts, customer_id, event_id)
    """,
    # Tables created by an earlier version of this DDL gain the new columns in place, and an
    # earlier form of the index is dropped.
    f"ALTER TABLE {EVENTS_TABLE} ADD COLUMN IF NOT EXISTS actor_id LowCardinality(String) DEFAULT ''",
    f"ALTER TABLE {EVENTS_TABLE} ADD INDEX IF NOT EXISTS received_at_window received_at TYPE minmax GRANULARITY 1",
    "DROP VIEW IF EXISTS event_ids_mv",
    "DROP TABLE IF EXISTS event_ids",
    f"""
    CREATE TABLE IF NOT EXISTS {EVENT_IDS_TABLE} (
        tenant_id LowCardinality(String),
        key UInt64,
        customer_id String,
        event_id String
    )
    ENGINE = ReplacingMergeTree
    ORDER BY (tenant_id, key, customer_id, event_id)
    """,
    f"""
    CREATE MATERIALIZED VIEW IF NOT EXISTS {EVENT_IDS_TABLE}_mv TO {EVENT_IDS_TABLE} AS
    SELECT tenant_id, {dedupe_key_sql()} AS key, customer_id, event_id FROM {EVENTS_TABLE}
    """,
]


def reindex_recent_sql() -> str:
    """Index the events received since {since:DateTime64(3)} again.

    The materialized view writes the index in the same INSERT as the events, but not
    atomically with them: a crash (or a failure of the view's part) between the two leaves
    events the index does not know, and a resend would then be stored twice. Re-inserting the
    index rows of recent events repairs that; copies already present collapse (ReplacingMergeTree).
    """
    return (f"INSERT INTO {EVENT_IDS_TABLE} SELECT tenant_id, {dedupe_key_sql()}, customer_id, event_id "
            f"FROM {EVENTS_TABLE} WHERE received_at >= {{since:DateTime64(3)}}")


def ensure_schema(client) -> None:  # noqa: ANN001
    """Create every table that does not exist yet; safe to run on every start.

    An events table older than its idempotency index gets the index back-filled once."""
    had_index = bool(client.command(f"EXISTS TABLE {EVENT_IDS_TABLE}"))
    for statement in DDL:
        client.command(statement)
    if not had_index:
        client.command(f"INSERT INTO {EVENT_IDS_TABLE} SELECT tenant_id, {dedupe_key_sql()}, customer_id, event_id "
                       f"FROM {EVENTS_TABLE}")
