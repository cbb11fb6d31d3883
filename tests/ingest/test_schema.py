"""The events table layout and its idempotency index, as the ingest rail and the metrics read them."""
from __future__ import annotations

import uuid

import clickhouse_connect

from libs.clickhouse.schema import EVENT_IDS_TABLE, dedupe_key_sql, ensure_schema
from services.ingest.ids import dedupe_key, dedupe_keys


def test_sort_key_leads_with_tenant_and_partner(host) -> None:
    with host.context.clickhouse.client() as client:
        sorting = client.command("SELECT sorting_key FROM system.tables WHERE database = currentDatabase() "
                                 "AND name = 'events'")
        columns = dict(client.query("SELECT name, type FROM system.columns WHERE database = currentDatabase() "
                                    "AND table = 'events'").result_rows)
    assert sorting.replace(" ", "").startswith("tenant_id,partner_id,")
    assert columns["ts"] == "DateTime64(3, 'UTC')" and columns["properties"] == "String"
    assert {"tenant_id", "partner_id", "customer_id", "event_id", "name", "ts", "received_at", "source",
            "properties", "actor_id"} <= set(columns)


def test_python_and_clickhouse_compute_the_same_dedupe_key(host) -> None:
    ids = ["order-1", "évènement ✓", "with 'quotes' and \\ backslash", "x" * 200, ""]
    with host.context.clickhouse.client() as client:
        for event_id in ids:
            got = client.command(f"SELECT {dedupe_key_sql('{e:String}')}", parameters={"e": event_id})
            assert int(got) == dedupe_key(event_id), event_id
    assert dedupe_keys(ids) == [dedupe_key(e) for e in ids]  # the batch form used by the rail


def test_ensure_schema_is_idempotent_and_indexes_events_stored_before_the_index(host, clickhouse_dsn) -> None:
    database = f"legacy_{uuid.uuid4().hex[:8]}"
    with host.context.clickhouse.client() as admin:
        admin.command(f"CREATE DATABASE {database}")
    try:
        client = clickhouse_connect.get_client(dsn=clickhouse_dsn, database=database)
        client.command("CREATE TABLE events (tenant_id LowCardinality(String), partner_id String, customer_id String,"
                       " event_id String, name LowCardinality(String), ts DateTime64(3, 'UTC'),"
                       " received_at DateTime64(3, 'UTC'), source LowCardinality(String), properties String)"
                       " ENGINE = ReplacingMergeTree ORDER BY (tenant_id, partner_id, name, ts, customer_id, event_id)")
        client.raw_insert("events", insert_block=b'{"tenant_id":"t","partner_id":"p","customer_id":"c","event_id":"old",'
                                                 b'"name":"n","ts":1,"received_at":1,"source":"api","properties":"{}"}',
                          fmt="JSONEachRow")
        ensure_schema(client)
        ensure_schema(client)
        rows = client.query(f"SELECT key, customer_id, event_id FROM {EVENT_IDS_TABLE}").result_rows
        assert rows == [(dedupe_key("old"), "c", "old")]
        assert client.command("SELECT count() FROM events WHERE actor_id = ''") == 1  # the new column, defaulted
    finally:
        with host.context.clickhouse.client() as admin:
            admin.command(f"DROP DATABASE {database}")
