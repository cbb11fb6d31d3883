"""The insert block the rail writes: every value reaches ClickHouse exactly as it was decoded."""
from __future__ import annotations

import uuid

import clickhouse_connect
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from libs.clickhouse.schema import EVENT_COLUMNS, ensure_schema
from services.ingest.block import FORMAT, insert_block
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
                       insert_block=insert_block(tenant, events, received_ms, "api", "mk_é\"\\"))
    stored = scratch.query(
        "SELECT event_id, name, toUnixTimestamp64Milli(ts), toUnixTimestamp64Milli(received_at), properties, "
        "customer_id, partner_id, source, actor_id FROM events WHERE tenant_id = {t:String} ORDER BY event_id",
        parameters={"t": tenant}).result_rows
    expected = sorted((ev.event_id, ev.name, ev.ts_ms, received_ms, ev.properties, ev.customer_id, ev.partner_id,
                       "api", "mk_é\"\\") for ev in events)
    assert sorted(stored) == expected
