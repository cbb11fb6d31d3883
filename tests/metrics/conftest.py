"""Fixtures of the metrics tests: one metrics server for the session, events written straight
into the events table (the ingest rail is not needed to test the engine)."""
from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

import grpc
import pytest
from partneros.metrics.v1 import metrics_pb2_grpc

from tests.conftest import make_settings, running_host

EVENT_COLUMNS = ["tenant_id", "partner_id", "customer_id", "event_id", "name", "ts", "received_at", "source",
                 "properties"]


@pytest.fixture(scope="session")
def mhost(tmp_path_factory: pytest.TempPathFactory, clickhouse_dsn: str):  # noqa: ANN201
    """The metrics service alone on a loopback port, its SQL store migrated."""
    with running_host(make_settings(tmp_path_factory.mktemp("metrics-host"), clickhouse_dsn), "metrics") as host:
        yield host


@pytest.fixture(scope="session")
def mchannel(mhost) -> Iterator[grpc.Channel]:  # noqa: ANN001
    with grpc.insecure_channel(mhost.address) as channel:
        yield channel


@pytest.fixture(scope="session")
def stub(mchannel) -> metrics_pb2_grpc.MetricsServiceStub:  # noqa: ANN001
    return metrics_pb2_grpc.MetricsServiceStub(mchannel)


@pytest.fixture(scope="session")
def engine(mhost):  # noqa: ANN001, ANN201
    return mhost.context.engine


@pytest.fixture(scope="session")
def pool(mhost):  # noqa: ANN001, ANN201
    return mhost.context.clickhouse


def event(tenant_id: str, partner_id: str, customer_id: str, name: str, ts: dt.datetime,
          properties: dict[str, Any] | str | None = None, event_id: str | None = None) -> dict[str, Any]:
    """One row of the events table."""
    props = properties if isinstance(properties, str) else json.dumps(properties or {})
    return {"tenant_id": tenant_id, "partner_id": partner_id, "customer_id": customer_id,
            "event_id": event_id or uuid.uuid4().hex, "name": name, "ts": ts, "received_at": ts,
            "source": "api", "properties": props}


def insert_events(pool, events: Iterable[dict[str, Any]]) -> None:  # noqa: ANN001
    rows = [[e[c] for c in EVENT_COLUMNS] for e in events]
    if rows:
        with pool.client() as client:
            client.insert("events", rows, column_names=EVENT_COLUMNS)
