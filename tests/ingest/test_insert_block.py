"""The insert block the rail writes: every value reaches ClickHouse exactly as it was decoded."""
from __future__ import annotations

import uuid

import clickhouse_connect
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from libs.clickhouse.schema import EVENT_COLUMNS, ensure_schema
from services.ingest.block import FORMAT, columns, insert_block
from services.ingest.event import Event

_MAX_MS = 10**13  # DateTime64(3) on ClickHouse ends in 2299: about 1.04e13 ms

_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)


@pytest.fixture(scope="module")
def scratch(clickhouse_dsn: str):  # noqa: ANN201 - a client on a database of its own
    database = f"block_{uuid.uuid4().hex[:8]}"
    admin = clickhouse_connect.get_client(dsn=clickhouse_dsn)
    admin.command(f"CREATE DATABASE {database}")
    client = clickhouse_connect.get_client(dsn=clickhouse_dsn, database=database)
    ensure_schema(client)
    yield client
    admin.command(f"DROP DATABASE {database}")


def _event(index: int, event_id: str, name: str, ts_ms: int, properties: str, customer: str) -> Event:
    ev = Event(index, event_id, name, ts_ms=ts_ms, properties=properties)
    ev.customer_id, ev.partner_id = customer, f"ptn-{customer}"
    return ev


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(_text, _text.filter(str.strip), st.integers(0, _MAX_MS), _text, _text),
                     min_size=1, max_size=20),
       received_ms=st.integers(0, _MAX_MS))
def test_every_value_round_trips_exactly(scratch, rows, received_ms: int) -> None:  # noqa: ANN001
    tenant = f"ten_{uuid.uuid4().hex}"
    events = [_event(i, f"{event_id}#{i}", name, ts, props, customer)
              for i, (event_id, name, ts, props, customer) in enumerate(rows)]
    scratch.raw_insert("events", column_names=list(EVENT_COLUMNS), fmt=FORMAT,
                       insert_block=insert_block([columns(tenant, events, received_ms, "api", "mk_é\"\\")]))
    stored = scratch.query(
        "SELECT event_id, name, toUnixTimestamp64Milli(ts), toUnixTimestamp64Milli(received_at), properties, "
        "customer_id, partner_id, source, actor_id FROM events WHERE tenant_id = {t:String} ORDER BY event_id",
        parameters={"t": tenant}).result_rows
    expected = sorted((ev.event_id, ev.name, ev.ts_ms, received_ms, ev.properties, ev.customer_id, ev.partner_id,
                       "api", "mk_é\"\\") for ev in events)
    assert sorted(stored) == expected


def test_batches_inserted_together_keep_what_each_of_them_shares(scratch) -> None:  # noqa: ANN001
    """A group commit puts several batches in one block: each row keeps its own batch's tenant,
    receive time, source and actor."""
    tenants = [f"ten_{uuid.uuid4().hex}" for _ in range(3)]
    batches = [
        (tenants[0], [_event(0, "a-1", "signup", 1_000, "{}", "c1"), _event(1, "a-2", "usage", 2_000, "{}", "c2")],
         5_000, "api", "mk_1"),
        (tenants[1], [_event(0, "b-1", "usage", 3_000, '{"n":1}', "c3")], 6_000, "app", "op_1"),
        (tenants[2], [], 7_000, "api", "mk_2"),
        (tenants[0], [_event(0, "a-3", "purchase", 4_000, "{}", "c1")], 8_000, "api", "mk_3"),
    ]
    scratch.raw_insert("events", column_names=list(EVENT_COLUMNS), fmt=FORMAT,
                       insert_block=insert_block([columns(*batch) for batch in batches]))
    stored = scratch.query(
        "SELECT tenant_id, event_id, customer_id, toUnixTimestamp64Milli(ts), toUnixTimestamp64Milli(received_at), "
        "source, actor_id FROM events WHERE tenant_id IN {t:Array(String)} ORDER BY event_id",
        parameters={"t": tenants}).result_rows
    assert stored == [
        (tenants[0], "a-1", "c1", 1_000, 5_000, "api", "mk_1"),
        (tenants[0], "a-2", "c2", 2_000, 5_000, "api", "mk_1"),
        (tenants[0], "a-3", "c1", 4_000, 8_000, "api", "mk_3"),
        (tenants[1], "b-1", "c3", 3_000, 6_000, "app", "op_1"),
    ]
